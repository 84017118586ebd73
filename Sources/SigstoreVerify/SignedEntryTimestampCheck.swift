import FoundationEssentials
import Hex
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
        let logID = Hex.encode(entry.logID)
        return Array("{\"body\":\"\(body)\",\"integratedTime\":\(integratedTime),\"logID\":\"\(logID)\",\"logIndex\":\(entry.logIndex)}".utf8)
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
