import Crypto
import Foundation
import SafeJSON

/// The log key and what it signs: signed entry timestamps and checkpoints (PROTOCOLS §6.4, §6.5).
struct RekorSigner: Sendable {
    let privateKey: P256.Signing.PrivateKey
    /// DER SubjectPublicKeyInfo of the log key.
    let publicKeyDER: [UInt8]
    /// SHA-256 of `publicKeyDER`.
    let logID: [UInt8]
    /// Signer name on checkpoint signature lines (Rekor: its hostname).
    let name: String
    /// First line of every checkpoint (Rekor: `<hostname> - <treeID>`).
    let origin: String

    init(privateKey: P256.Signing.PrivateKey, name: String, origin: String) {
        self.privateKey = privateKey
        publicKeyDER = Array(privateKey.publicKey.derRepresentation)
        logID = RekorEncoding.sha256(publicKeyDER)
        self.name = name
        self.origin = origin
    }

    /// The bytes a SET signs: RFC 8785 JSON of `{body, integratedTime, logID (hex), logIndex}`.
    static func entryTimestampPayload(body: [UInt8], integratedTime: Int64, logID: [UInt8], logIndex: Int64) -> [UInt8] {
        RekorCanonicalJSON.bytes([
            "body": .string(RekorEncoding.base64(body)),
            "integratedTime": .number(Double(integratedTime)),
            "logID": .string(RekorEncoding.hex(logID)),
            "logIndex": .number(Double(logIndex)),
        ])
    }

    func signEntryTimestamp(body: [UInt8], integratedTime: Int64, logIndex: Int64) throws(RekorError) -> [UInt8] {
        try sign(Self.entryTimestampPayload(body: body, integratedTime: integratedTime, logID: logID, logIndex: logIndex))
    }

    /// Whether `signature` is this log's SET over the given entry (used to check a reloaded log file).
    func isValidEntryTimestamp(_ signature: [UInt8], body: [UInt8], integratedTime: Int64, logIndex: Int64) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        let payload = Self.entryTimestampPayload(body: body, integratedTime: integratedTime, logID: logID, logIndex: logIndex)
        return privateKey.publicKey.isValidSignature(parsed, for: payload)
    }

    /// A signed note: `<origin>\n<size>\n<b64 root>\n\n— <name> <b64(keyhint || DER sig)>\n`.
    func checkpoint(treeSize: Int, rootHash: [UInt8]) throws(RekorError) -> String {
        let text = "\(origin)\n\(treeSize)\n\(RekorEncoding.base64(rootHash))\n"
        let signature = try sign(Array(text.utf8))
        return text + "\n\u{2014} \(name) \(RekorEncoding.base64(Array(logID.prefix(4)) + signature))\n"
    }

    private func sign(_ message: [UInt8]) throws(RekorError) -> [UInt8] {
        do { return Array(try privateKey.signature(for: message).derRepresentation) } catch {
            throw RekorError(.storage, "signing with the log key failed: \(error)")
        }
    }
}
