import Crypto
import Foundation
import Hex

/// Base64url, random-token, serial-number and digest helpers for the identity services (kept in one
/// namespace so they cannot clash with other parts of the module).
enum IdentityEncoding {
    /// Unpadded base64url (RFC 7515 §2).
    static func base64URL<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url with or without padding; nil when malformed.
    static func decodeBase64URL(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    /// A random token of `count` bytes, hex encoded.
    static func randomToken(bytes count: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A random positive serial number of exactly 20 octets (RFC 5280 §4.1.2.2 allows at most 20;
    /// Fulcio uses 160 random bits): the top bit is cleared so no sign octet is needed.
    static func serialNumberBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = bytes[0] & 0x7F | 0x01
        return bytes
    }

    static func sha256<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        Array(SHA256.hash(data: Array(bytes)))
    }

    /// Constant-time comparison of two secrets.
    static func secretsEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// RFC 3339 times as trusted_root.json writes them (`2022-04-13T20:06:15.000Z`).
enum IdentityTime {
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
