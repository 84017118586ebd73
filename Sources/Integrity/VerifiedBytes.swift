public import FoundationEssentials
import OpenSSLCrypto

/// Bytes whose digest matched an expected integrity. The only way to get one is
/// `verify`, so code that holds a `VerifiedBytes` knows the check ran.
///
/// `sha512` is the package's identity: the SHA-512 computed over exactly these bytes. Every other
/// claim about the package (the registry's `dist.integrity`, a lockfile entry, the string a
/// registry signature covers, an attestation subject) is checked against it with `confirm`.
/// The bytes are in memory or, for tarballs streamed to disk, in a private staging file that
/// nothing else writes.
public struct VerifiedBytes: Sendable {
    /// Where the verified bytes are.
    public enum Content: Sendable {
        case memory(Data)
        /// A staging file owned by the caller; it must not change after verification.
        case file(URL)
    }

    public let content: Content
    /// The integrity that was checked (as the registry or lockfile stated it).
    public let integrity: SubresourceIntegrity
    /// SHA-512 of the bytes, computed here (or while they streamed in), never taken from a claim.
    public let sha512: [UInt8]

    private init(content: Content, integrity: SubresourceIntegrity, sha512: [UInt8]) {
        self.content = content
        self.integrity = integrity
        self.sha512 = sha512
    }

    /// Checks in-memory `bytes` against every hash of `expected`.
    /// - Parameters:
    ///   - sha512: the SHA-512 already computed while the bytes streamed in, if any.
    ///   - subject: what the bytes are (`name@version`), for the error.
    ///   - source: where they came from (URL or cache file), for the error.
    public static func verify(_ bytes: Data, against expected: SubresourceIntegrity, sha512: [UInt8]? = nil,
                              subject: String, source: String) throws(IntegrityMismatch) -> VerifiedBytes {
        let verified = VerifiedBytes(content: .memory(bytes), integrity: expected, sha512: sha512 ?? Digest.hash(.sha512, bytes))
        try verified.confirm(expected, subject: subject, claim: source)
        return verified
    }

    /// Checks the file at `file` against every hash of `expected`; `sha512` is the digest computed
    /// while the file was written (it is computed here when nil).
    public static func verify(file: URL, against expected: SubresourceIntegrity, sha512: [UInt8]? = nil,
                              subject: String, source: String) throws(IntegrityMismatch) -> VerifiedBytes {
        let identity = sha512 ?? FileDigest.hash(.sha512, file: file) ?? []
        let verified = VerifiedBytes(content: .file(file), integrity: expected, sha512: identity)
        try verified.confirm(expected, subject: subject, claim: source)
        return verified
    }

    /// The identity as an SRI string (`sha512-<base64>`).
    public var identity: SubresourceIntegrity {
        SubresourceIntegrity(hashes: [.init(algorithm: .sha512, digest: sha512)])
    }

    /// Lower-case hex of `sha512` (the form in-toto subjects use).
    public var sha512Hex: String { sha512.hexString }

    /// Throws unless every hash of `claim` is a digest of these bytes. The SHA-512, when the claim
    /// has one, is compared with the identity; weaker algorithms are computed over the bytes.
    /// - Parameter claim: who made the claim (`dist.integrity from <url>`, `package-lock.json`), for the error.
    public func confirm(_ integrity: SubresourceIntegrity, subject: String, claim: String) throws(IntegrityMismatch) {
        for hash in integrity.hashes {
            let found = hash.algorithm == .sha512 ? sha512 : digest(hash.algorithm)
            guard constantTimeEquals(found, hash.digest) else {
                throw IntegrityMismatch(subject: subject, source: claim, expected: hash.description,
                                        found: found.isEmpty ? "unreadable bytes"
                                            : SubresourceIntegrity.Hash(algorithm: hash.algorithm, digest: found).description)
            }
        }
    }

    private func digest(_ algorithm: DigestAlgorithm) -> [UInt8] {
        switch content {
        case .memory(let data): Digest.hash(algorithm, data)
        case .file(let url): FileDigest.hash(algorithm, file: url) ?? []
        }
    }
}

/// The bytes did not hash to what was promised.
public struct IntegrityMismatch: Error, CustomStringConvertible, Equatable {
    public let subject: String
    public let source: String
    public let expected: String
    public let found: String

    public var description: String {
        "integrity check failed for \(subject) (\(source)): expected \(expected), found \(found)"
    }
}
