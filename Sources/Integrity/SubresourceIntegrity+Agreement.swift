public import OpenSSLCrypto

extension SubresourceIntegrity {
    /// The algorithms both strings give a digest for, where the digests differ; empty when they agree.
    public func disagreements(with other: SubresourceIntegrity) -> [DigestAlgorithm] {
        hashes.compactMap { hash in
            guard let theirs = other.digest(hash.algorithm), !constantTimeEquals(theirs, hash.digest) else { return nil }
            return hash.algorithm
        }
    }

    /// The one rule install (`ci`) and audit apply between a locked integrity and the registry's
    /// (pacote's `EINTEGRITY`, made strict): they conflict when any algorithm both give has two
    /// different digests. Disjoint algorithms do not conflict; the bytes must still match both.
    public func conflicts(with other: SubresourceIntegrity) -> Bool {
        !disagreements(with: other).isEmpty
    }

    /// Whether the two give a digest of some common algorithm, so that they can be compared at all.
    public func sharesAlgorithm(with other: SubresourceIntegrity) -> Bool {
        hashes.contains { other.digest($0.algorithm) != nil }
    }
}
