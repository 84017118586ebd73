import Foundation
import SafeJSON

/// The three parts of a JWS compact token, for reading a recorded ID token's claims and for
/// forging tampered copies that keep the original header and signature.
struct JWTParts: Sendable {
    let header: String
    let payload: String
    let signature: String

    init(_ token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw RecordedFlowError("expected a JWS compact token with three parts, found \(parts.count)")
        }
        (header, payload, signature) = (parts[0], parts[1], parts[2])
    }

    /// The decoded payload object.
    func claims() throws -> [String: JSONValue] {
        guard let data = Self.decode(payload), let object = try? JSONValue.parse(data).objectValue else {
            throw RecordedFlowError("the token's payload is not base64url JSON object")
        }
        return object
    }

    /// The same header and signature over a different payload: what a tamperer who cannot sign sends.
    func replacingClaims(_ claims: [String: JSONValue]) throws -> String {
        "\(header).\(Self.encode(try JSONValue.object(claims).serialized())).\(signature)"
    }

    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
