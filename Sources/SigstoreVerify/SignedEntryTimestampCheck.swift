import Foundation
import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Verifies a Rekor signed entry timestamp (inclusion promise), PROTOCOLS §6.4.
///
/// Rekor signs the RFC 8785 canonical JSON of
/// `{"body","integratedTime","logID","logIndex"}`; we rebuild it from the bundle.
public struct SignedEntryTimestampCheck: Sendable {
    public init() {}

    /// The exact bytes Rekor signed for `entry`.
    public static func signedPayload(_ entry: TransparencyLogEntry, integratedTime: Int64) -> [UInt8] {
        let body = Data(entry.canonicalizedBody).base64EncodedString()
        let logID = Self.hex(entry.logID)
        return Array("{\"body\":\"\(body)\",\"integratedTime\":\(integratedTime),\"logID\":\"\(logID)\",\"logIndex\":\(entry.logIndex)}".utf8)
    }

    static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex.
    static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Throws `.signedEntryTimestamp` unless one of `logs` signed the entry.
    public func verify(_ entry: TransparencyLogEntry, set: [UInt8], integratedTime: Int64, logs: [TrustedMaterial.Log]) throws {
        let payload = Self.signedPayload(entry, integratedTime: integratedTime)
        for log in logs where log.key.verify(signature: set, message: payload, digest: log.key.kind == .ed25519 ? nil : .sha256) {
            return
        }
        throw VerificationError(.signedEntryTimestamp,
                                "signed entry timestamp of log index \(entry.logIndex) does not verify with the key of log \(logs.first?.instance.baseURL ?? "?")")
    }
}
