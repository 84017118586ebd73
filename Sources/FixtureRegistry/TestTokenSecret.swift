import Crypto
import Hex
public import Foundation

/// The repository's **test-only** HMAC secret for deterministic exchange tokens,
/// `Registry/keys/recorded-token-secret.pem` (see the README beside it). It is public: a
/// registry using it hands out tokens anyone can compute, so only recorded flows
/// (`fixture-registry record` and its replay) install it, through ``generator(from:)``.
///
/// The file is PEM-armoured base64 of 32 random bytes:
/// `-----BEGIN TEST-ONLY HMAC SECRET-----` … `-----END TEST-ONLY HMAC SECRET-----`.
public enum TestTokenSecret {
    public static let fileName = "recorded-token-secret.pem"
    static let label = "TEST-ONLY HMAC SECRET"

    /// The secret's bytes (at least 32).
    public static func load(from url: URL) throws(RegistryError) -> Data {
        guard let data = try AtomicFile.read(url, limit: 64 * 1024), let text = String(data: data, encoding: .utf8) else {
            throw .storage(path: url.path, reason: "the test-only token secret is missing")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "-----BEGIN \(label)-----", lines.last == "-----END \(label)-----", lines.count >= 3,
              let secret = Data(base64Encoded: lines.dropFirst().dropLast().joined()), secret.count >= 32 else {
            throw .storage(path: url.path, reason: "expected a \"\(label)\" PEM block holding at least 32 base64 bytes")
        }
        return secret
    }

    /// The HMAC token generator keyed with the secret in `url`.
    public static func generator(from url: URL) throws(RegistryError) -> TokenGenerator {
        .hmac(secret: try load(from: url))
    }

    /// `sha256:<hex>` of the secret, so a recording can name the secret it was made with.
    public static func fingerprint(_ secret: Data) -> String {
        "sha256:" + Hex.encode(SHA256.hash(data: secret))
    }
}
