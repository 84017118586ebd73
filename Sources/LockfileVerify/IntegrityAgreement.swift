import Integrity
import OpenSSLCrypto

/// The lockfile's integrity against what the registry vouches for, under one-digest rules.
///
/// Package managers check their own lockfile, not the registry, and some of them pick one hash out
/// of several (the strongest, or the first whose algorithm they know) or skip the check for a hash
/// they cannot parse. So every hash the lockfile records must be one the registry vouches for
/// (`dist.integrity`, plus `dist.shasum` as sha1), with the same digest; `?options` are refused, as
/// a reader that does not strip them would not know the algorithm. Two digests of one algorithm are
/// refused when parsing.
enum IntegrityAgreement {
    static func check(locked: String, registry: SubresourceIntegrity, shasum: String?, id: String) -> Failure? {
        let lockfile: SubresourceIntegrity
        do { lockfile = try SubresourceIntegrity(locked) } catch {
            return Failure(.integrityRefused, "\(id): the lockfile's integrity is refused: \(error)")
        }
        if locked.contains("?") {
            return Failure(.integrityRefused, "\(id): the lockfile's integrity \(locked) carries ?options, which package managers read differently")
        }
        // ssri compares digests as text: one that decodes to the same bytes but is spelled otherwise
        // (unused low bits, missing padding) fails npm's check, so it must not pass ours.
        let canonical = Set(lockfile.hashes.map(\.description))
        if let odd = locked.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).first(where: { !canonical.contains(String($0)) }) {
            return Failure(.integrityRefused, "\(id): the lockfile's digest \(odd) is not spelled in canonical base64 (\(lockfile)); npm compares the text and would refuse it")
        }
        var vouched = registry.hashes
        if registry.digest(.sha1) == nil, let shasum, let sha1 = try? SubresourceIntegrity.fromHexSHA1(shasum) {
            vouched += sha1.hashes
        }
        let registryVouches = SubresourceIntegrity(hashes: vouched)
        for hash in lockfile.hashes {
            guard let theirs = registryVouches.digest(hash.algorithm) else {
                return Failure(.integrityMismatch, "\(id): the lockfile's \(hash.algorithm.rawValue) digest is not one the registry vouches for (\(registry)); a package manager may check the bytes against it alone")
            }
            if !constantTimeEquals(theirs, hash.digest) {
                return Failure(.integrityMismatch, "\(id): the lockfile has \(lockfile) but the registry has \(registryVouches) (\(hash.algorithm.rawValue) differs)")
            }
        }
        guard lockfile.hashes.contains(where: { $0.algorithm == .sha512 }) || registry.strongestAlgorithm == lockfile.strongestAlgorithm else {
            return Failure(.integrityMismatch, "\(id): the lockfile's \(lockfile.strongestAlgorithm.rawValue) and the registry's \(registry.strongestAlgorithm.rawValue) share no strong digest to compare")
        }
        return nil
    }
}
