import Crypto

/// The Rekor v2 log key (Ed25519, as log2025-1.rekor.sigstore.dev) and the C2SP signed notes it signs.
///
/// The log's name is its origin and signer name (the host of its URL). Its key ID, as
/// `CheckpointCheck.keyID` derives it: SHA-256(name || "\n" || 0x01 || public key); the whole
/// hash is the log ID (`logId.keyId`), its first 4 bytes the hint on every signature line.
struct RekorV2Signer: Sendable {
    let privateKey: Curve25519.Signing.PrivateKey
    let name: String
    /// SHA-256(name || 0x0A || 0x01 || raw public key).
    let logID: [UInt8]

    init(privateKey: Curve25519.Signing.PrivateKey, name: String) {
        self.privateKey = privateKey
        self.name = name
        logID = RekorEncoding.sha256(Array(name.utf8) + [0x0A, 0x01] + Array(privateKey.publicKey.rawRepresentation))
    }

    /// DER SubjectPublicKeyInfo of the Ed25519 key (RFC 8410).
    var publicKeyDER: [UInt8] {
        [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00] + Array(privateKey.publicKey.rawRepresentation)
    }

    /// `<name>\n<size>\n<b64 root>\n\n— <name> <b64(keyID[0:4] || Ed25519 signature)>\n`.
    func checkpoint(treeSize: Int, rootHash: [UInt8]) throws(RekorError) -> String {
        let text = "\(name)\n\(treeSize)\n\(RekorEncoding.base64(rootHash))\n"
        let signature: [UInt8]
        do { signature = Array(try privateKey.signature(for: Array(text.utf8))) } catch {
            throw RekorError(.storage, "signing the checkpoint with the v2 log key failed: \(error)")
        }
        return text + "\n\u{2014} \(name) \(RekorEncoding.base64(Array(logID.prefix(4)) + signature))\n"
    }
}
