import Foundation
import NpmVerify
import SigstoreVerify
import Synchronization

/// The Sigstore trusted root for attestations, loaded on first use (an audit without
/// attestations never needs it) and shared by every package of the run.
public final class TrustedRootSource: Sendable {
    private let load: @Sendable () throws -> TrustedMaterial
    private let cached = Mutex<Result<TrustedMaterial, FetchFailure>?>(nil)

    /// `load` runs at most once.
    public init(load: @escaping @Sendable () throws -> TrustedMaterial) {
        self.load = load
    }

    /// `--trusted-root FILE`, or `public-good` (nil): npm's own trust (npm cache, else the npm CLI's seeds).
    public convenience init(argument: String?, resolver: TrustRootResolver = .fromEnvironment()) {
        self.init {
            let resolved = try resolver.trustedRoot(argument)
            return try TrustedMaterial(jsonData: resolved.data)
        }
    }

    /// A root already in memory.
    public convenience init(material: TrustedMaterial) {
        self.init { material }
    }

    public func material() throws(FetchFailure) -> TrustedMaterial {
        let result = cached.withLock { cached in
            if let cached { return cached }
            let result: Result<TrustedMaterial, FetchFailure>
            do { result = .success(try load()) } catch {
                result = .failure(FetchFailure(code: "ETRUSTEDROOT", message: "no usable Sigstore trusted root to verify attestations: \(error)"))
            }
            cached = result
            return result
        }
        return try result.get()
    }
}
