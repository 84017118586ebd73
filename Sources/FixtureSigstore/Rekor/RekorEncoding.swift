import Crypto
import Foundation
import Hex

/// Small byte encodings shared by the Rekor fixture: hex, base64 and SHA-256.
enum RekorEncoding {
    static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(bytes) }

    /// Decodes lower- or uppercase hex; nil for anything else.
    static func unhex(_ text: String) -> [UInt8]? { Hex.decode(text) }

    static func base64(_ bytes: some Sequence<UInt8>) -> String { Data(bytes).base64EncodedString() }

    /// Standard base64 with padding, as Go's `base64.StdEncoding` accepts it.
    static func unbase64(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { [UInt8]($0) } }

    /// Standard base64, else base64url (padded): what go-securesystemslib's DSSE
    /// decoder accepts for payloads and signatures.
    static func unbase64Lenient(_ text: String) -> [UInt8]? {
        if let bytes = unbase64(text) { return bytes }
        guard !text.contains("+"), !text.contains("/") else { return nil }
        return unbase64(text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"))
    }

    static func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] { Array(SHA256.hash(data: Array(bytes))) }

    /// PEM the way Go's `encoding/pem` writes it: 64-column base64 lines and a final newline.
    static func pem(type: String, der: [UInt8]) -> String {
        let body = Array(base64(der))
        var out = "-----BEGIN \(type)-----\n"
        var start = 0
        while start < body.count {
            let end = min(start + 64, body.count)
            out += String(body[start..<end]) + "\n"
            start = end
        }
        return out + "-----END \(type)-----\n"
    }
}
