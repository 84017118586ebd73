public import Foundation
public import SafeJSON

extension RekorLog {
    /// This log as a `tlogs[]` item of `trusted_root.json` (PROTOCOLS §7).
    /// - Parameters:
    ///   - baseURL: the log's URL as clients reach it (public: `https://rekor.sigstore.dev`).
    ///   - validFrom: start of the key's validity; entries integrated before it do not verify.
    public func trustedRootTlog(baseURL: String, validFrom: Date) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return [
            "baseUrl": .string(baseURL),
            "hashAlgorithm": "SHA2_256",
            "publicKey": [
                "rawBytes": .string(RekorEncoding.base64(publicKeyDER)),
                "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                "validFor": ["start": .string(formatter.string(from: validFrom))],
            ],
            "logId": ["keyId": .string(RekorEncoding.base64(logID))],
        ]
    }
}
