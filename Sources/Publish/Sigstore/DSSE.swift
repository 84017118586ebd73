import Foundation

/// Dead Simple Signing Envelope helpers: the pre-authentication encoding that is signed, and
/// the envelope JSON exactly as sigstore-js's `envelopeToJSON` + `JSON.stringify` print it.
public enum DSSE {
    /// `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`, lengths in ASCII decimal bytes.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// `{"payload":"<b64>","payloadType":"…","signatures":[{"sig":"<b64>","keyid":""}]}`.
    public static func envelope(payload: [UInt8], payloadType: String, signature: [UInt8], keyID: String = "") -> OrderedJSON {
        .object([
            ("payload", .string(Data(payload).base64EncodedString())),
            ("payloadType", .string(payloadType)),
            ("signatures", .array([.object([
                ("sig", .string(Data(signature).base64EncodedString())),
                ("keyid", .string(keyID)),
            ])])),
        ])
    }
}
