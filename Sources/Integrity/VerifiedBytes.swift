import Foundation
import OpenSSLCrypto

/// Bytes whose digest matched an expected integrity. The only way to get one is
/// `verify`, so code that holds a `VerifiedBytes` knows the check ran.
public struct VerifiedBytes: Sendable {
    public let bytes: Data
    /// The integrity that was checked (as the registry or lockfile stated it).
    public let integrity: SubresourceIntegrity

    private init(bytes: Data, integrity: SubresourceIntegrity) {
        self.bytes = bytes
        self.integrity = integrity
    }

    /// Checks `bytes` against `expected`'s strongest algorithm.
    /// - Parameters:
    ///   - precomputed: the digest already computed while the bytes streamed in, if its algorithm is the strongest one.
    ///   - subject: what the bytes are (`name@version`), for the error.
    ///   - source: where they came from (URL or cache file), for the error.
    public static func verify(_ bytes: Data, against expected: SubresourceIntegrity, precomputed: [UInt8]? = nil,
                              subject: String, source: String) throws -> VerifiedBytes {
        let algorithm = expected.strongestAlgorithm
        let digest = precomputed ?? Digest.hash(algorithm, bytes)
        guard expected.matches(digest: digest) else {
            throw IntegrityMismatch(subject: subject, source: source, expected: expected.strongestDescription,
                                    found: "\(algorithm.rawValue)-\(Data(digest).base64EncodedString())")
        }
        return VerifiedBytes(bytes: bytes, integrity: expected)
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
