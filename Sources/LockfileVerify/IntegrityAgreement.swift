import Integrity
import OpenSSLCrypto

/// The lockfile's integrity against the registry's, under one-digest rules: both parse strictly
/// (two digests of one algorithm are refused), every shared algorithm agrees, and they share sha512,
/// or else the strongest algorithm of each.
enum IntegrityAgreement {
    static func check(locked: String, registry: SubresourceIntegrity, id: String) -> Failure? {
        let lockfile: SubresourceIntegrity
        do { lockfile = try SubresourceIntegrity(locked) } catch {
            return Failure(.integrityRefused, "\(id): the lockfile's integrity is refused: \(error)")
        }
        let differing = lockfile.disagreements(with: registry)
        if !differing.isEmpty {
            let names = differing.map(\.rawValue).joined(separator: ", ")
            return Failure(.integrityMismatch, "\(id): the lockfile has \(lockfile) but the registry has \(registry) (\(names) differ)")
        }
        let shared = Set(lockfile.hashes.map(\.algorithm)).intersection(registry.hashes.map(\.algorithm))
        let strongEnough = shared.contains(.sha512)
            || (shared.contains(lockfile.strongestAlgorithm) && shared.contains(registry.strongestAlgorithm))
        guard strongEnough else {
            return Failure(.integrityMismatch, "\(id): the lockfile's \(lockfile.strongestAlgorithm.rawValue) and the registry's \(registry.strongestAlgorithm.rawValue) share no strong digest to compare")
        }
        return nil
    }
}
