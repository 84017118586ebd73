import Foundation

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

    /// Lowercase hex of the SHA-512 in `integrity` (ssri's `hexDigest()`), or nil without one.
    public var sha512Hex: String? {
        for token in integrity.split(separator: " ") where token.hasPrefix("sha512-") {
            let base64 = token.dropFirst("sha512-".count).prefix { $0 != "?" }
            guard let bytes = Data(base64Encoded: String(base64)), bytes.count == 64 else { continue }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
        return nil
    }
}
