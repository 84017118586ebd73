import Crypto
public import Foundation
import Hex

/// The digests npm records for a tarball in `dist`: `integrity` (SRI sha512,
/// standard base64) and `shasum` (hex SHA-1), computed with swift-crypto.
public struct TarballDigest: Sendable, Hashable {
    /// `sha512-<base64 of SHA-512(tarball)>`
    public let integrity: String
    /// Lowercase hex SHA-1 of the tarball.
    public let shasum: String
    /// Lowercase hex SHA-512 of the tarball (the digest in-toto subjects carry).
    public let sha512Hex: String

    /// Hashes `tarball`.
    public init(of tarball: Data) {
        let sha512 = SHA512.hash(data: tarball)
        integrity = "sha512-" + Data(sha512).base64EncodedString()
        sha512Hex = Hex.encode(sha512)
        shasum = Hex.encode(Insecure.SHA1.hash(data: tarball))
    }

    /// A short strong validator for an HTTP body (`"<32 hex of SHA-256>"`).
    static func etag(of body: Data) -> String {
        "\"" + String(Hex.encode(SHA256.hash(data: body)).prefix(32)) + "\""
    }
}
