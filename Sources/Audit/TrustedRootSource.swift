import Foundation
import NpmVerify
import SigstoreVerify
import Synchronization

/// The Sigstore trusted root for attestations, loaded on first use (an audit without
/// attestations never needs it) and shared by every package of the run.
public final class TrustedRootSource: Sendable {
    private let load: @Sendable () async throws -> TrustedMaterial
    private let task = Mutex<Task<TrustedMaterial, any Error>?>(nil)

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
        let running = task.withLock { task in
            if let task { return task }
            let started = Task { [load] in try await load() }
            task = started
            return started
        }
        do { return try await running.value } catch {
            throw FetchFailure(code: "ETRUSTEDROOT", message: "no usable Sigstore trusted root to verify attestations: \(error)")
        }
    }
}
