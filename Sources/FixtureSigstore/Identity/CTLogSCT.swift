import Foundation
public import SafeJSON
import SwiftASN1

extension CTLog {
    /// A v1 signed certificate timestamp (RFC 6962 §3.2) as the log returns it.
    public struct SCT: Sendable, Equatable {
        public let logID: [UInt8]
        /// Milliseconds since the epoch.
        public let timestamp: UInt64
        public let extensions: [UInt8]
        /// DER ECDSA-SHA256 signature by the log key.
        public let signature: [UInt8]

        public init(logID: [UInt8], timestamp: UInt64, extensions: [UInt8], signature: [UInt8]) {
            self.logID = logID
            self.timestamp = timestamp
            self.extensions = extensions
            self.signature = signature
        }

        /// The TLS encoding: version, log_id, timestamp, extensions, hash_alg sha256, sig_alg ecdsa, signature.
        public var tlsEncoded: [UInt8] {
            var out: [UInt8] = [0] + logID + Self.bigEndian(timestamp, bytes: 8)
            out += Self.bigEndian(UInt64(extensions.count), bytes: 2) + extensions
            out += [4, 3] + Self.bigEndian(UInt64(signature.count), bytes: 2) + signature
            return out
        }

        /// The `add-pre-chain` JSON response (RFC 6962 §4.1).
        public var json: JSONValue {
            var digitallySigned: [UInt8] = [4, 3] + Self.bigEndian(UInt64(signature.count), bytes: 2)
            digitallySigned += signature
            return [
                "sct_version": 0, "id": .string(Data(logID).base64EncodedString()), "timestamp": .number(Double(timestamp)),
                "extensions": .string(Data(extensions).base64EncodedString()),
                "signature": .string(Data(digitallySigned).base64EncodedString()),
            ]
        }

        /// The certificate extension value (extnValue contents): a DER OCTET STRING holding the TLS
        /// `SignedCertificateTimestampList` with the given SCTs (PROTOCOLS §5.4).
        public static func listExtensionValue(_ scts: [SCT]) throws -> [UInt8] {
            let items = scts.flatMap { sct in bigEndian(UInt64(sct.tlsEncoded.count), bytes: 2) + sct.tlsEncoded }
            var serializer = DER.Serializer()
            try serializer.serialize(ASN1OctetString(contentBytes: ArraySlice(bigEndian(UInt64(items.count), bytes: 2) + items)))
            return serializer.serializedBytes
        }

        /// The bytes a log signs for a precertificate entry (RFC 6962 §3.2).
        static func signatureInput(timestamp: UInt64, issuerKeyHash: [UInt8], tbs: [UInt8], extensions: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0, 0] + bigEndian(timestamp, bytes: 8) + [0, 1] + issuerKeyHash
            out += bigEndian(UInt64(tbs.count), bytes: 3) + tbs
            out += bigEndian(UInt64(extensions.count), bytes: 2) + extensions
            return out
        }

        static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
            (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        }
    }
}
