import FoundationEssentials
import Integrity
import CodedError
import OpenSSLCrypto

/// The package version an attestation must be about: name, version and `dist.integrity`.
public struct PackageIdentity: Sendable, Equatable {
    public let name: String
    public let version: String
    /// The SRI string from `dist.integrity` (`sha512-…`).
    public let integrity: String

    public init(name: String, version: String, integrity: String) {
        self.name = name
        self.version = version
        self.integrity = integrity
    }

    /// npm-package-arg's `toPurl`: `pkg:npm/` + name (leading `@` as `%40`) + `@` + version.
    public var purl: String {
        let escaped = name.hasPrefix("@") ? "%40" + name.dropFirst() : name
        return "pkg:npm/\(escaped)@\(version)"
    }

    /// The one SHA-512 of `integrity`, parsed strictly: a string with two SHA-512 digests (or a
    /// malformed token) names no single tarball and is refused, never "the first one" taken.
    public func sha512() throws -> [UInt8] {
        let parsed: SubresourceIntegrity
        do { parsed = try SubresourceIntegrity(integrity) } catch {
            throw NpmVerifyError(.attestationSubject, "\(name)@\(version) dist.integrity: \(error)")
        }
        guard let digest = parsed.digest(.sha512) else {
            throw NpmVerifyError(.attestationSubject, "\(purl) has no sha512 integrity to compare with the subject")
        }
        return digest
    }

    /// Lowercase hex of the one SHA-512 in `integrity`, or nil when there is not exactly one.
    public var sha512Hex: String? { (try? sha512())?.hexString }
}
