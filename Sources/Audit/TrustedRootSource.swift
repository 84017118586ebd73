import FoundationEssentials
import NpmModel
public import NpmVerify
public import SigstoreVerify

/// The Sigstore trusted root for attestations, loaded on first use (an audit without
/// attestations never needs it) and shared by every package of the run.
public final class TrustedRootSource: Sendable {
    private let load: @Sendable () async throws -> TrustedMaterial
    private let loaded = SingleFlightCache<Bool, TrustedMaterial>()

    /// `load` runs at most once.
    public init(load: @escaping @Sendable () async throws -> TrustedMaterial) {
        self.load = load
    }

    /// `public-good`: the TUF target `trusted_root.json`, fetched through our TUF client.
    public convenience init(resolver: TrustRootResolver) {
        self.init {
            let resolved = try await resolver.trustedRoot(nil)
            return try TrustedMaterial(jsonData: resolved.data)
        }
    }

    /// A root already in memory.
    public convenience init(material: TrustedMaterial) {
        self.init { material }
    }

    public func material() async throws(FetchFailure) -> TrustedMaterial {
        do { return try await loaded.value(for: true, compute: load) } catch {
            throw FetchFailure(code: "ETRUSTEDROOT", message: "no usable Sigstore trusted root to verify attestations: \(error)")
        }
    }
}
