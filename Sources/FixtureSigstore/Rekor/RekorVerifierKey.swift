import Crypto
import SwiftASN1
import X509

/// A verifier named in a proposed Rekor entry: PEM of a certificate (or chain) or of a
/// public key, as Rekor's `pki/x509.NewPublicKey` accepts it.
///
/// Like Rekor, ECDSA signatures are checked over SHA-256 of the message whatever the
/// curve, Ed25519 over the message itself. RSA verifiers are refused (npm never sends them).
struct RekorVerifierKey: Sendable {
    enum Key: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    let key: Key
    /// The PEM Rekor stores for this verifier (`CanonicalValue`): certificates re-encoded
    /// from their DER, a bare key re-encoded as PKIX, 64-column lines, final newline.
    let canonicalPEM: String

    /// Parses PEM text; `what` names the field for error messages.
    init(pem: [UInt8], what: String) throws(RekorError) {
        guard let documents = RekorPEM.parse(String(decoding: pem, as: UTF8.self)), let first = documents.first else {
            throw .badRequest("\(what): expected PEM (a certificate or a public key), found text that does not parse as PEM")
        }
        let publicKey: Certificate.PublicKey
        switch first.type {
        case "CERTIFICATE":
            guard documents.count <= 10, documents.allSatisfy({ $0.type == "CERTIFICATE" }) else {
                throw .badRequest("\(what): expected up to 10 CERTIFICATE blocks, found \(documents.map(\.type))")
            }
            do {
                publicKey = try Certificate(derEncoded: first.der).publicKey
                for document in documents.dropFirst() { _ = try Certificate(derEncoded: document.der) }
            } catch {
                throw .badRequest("\(what): certificate does not parse as X.509: \(error)")
            }
            canonicalPEM = documents.map { RekorEncoding.pem(type: "CERTIFICATE", der: $0.der) }.joined()
        case "PUBLIC KEY":
            guard documents.count == 1 else { throw .badRequest("\(what): expected one PUBLIC KEY block, found \(documents.count) PEM blocks") }
            do {
                publicKey = try Certificate.PublicKey(derEncoded: first.der)
                var serializer = DER.Serializer()
                try serializer.serialize(publicKey)
                canonicalPEM = RekorEncoding.pem(type: "PUBLIC KEY", der: serializer.serializedBytes)
            } catch {
                throw .badRequest("\(what): public key does not parse as a DER SubjectPublicKeyInfo: \(error)")
            }
        default:
            throw .badRequest("\(what): invalid public key: cannot handle PEM type \(first.type)")
        }
        if let key = P256.Signing.PublicKey(publicKey) {
            self.key = .p256(key)
        } else if let key = P384.Signing.PublicKey(publicKey) {
            self.key = .p384(key)
        } else if let key = P521.Signing.PublicKey(publicKey) {
            self.key = .p521(key)
        } else if let key = Curve25519.Signing.PublicKey(publicKey) {
            self.key = .ed25519(key)
        } else {
            throw .badRequest("\(what): expected an ECDSA (P-256/P-384/P-521) or Ed25519 key, found \(publicKey)")
        }
    }

    /// Whether `signature` (DER ECDSA or raw Ed25519) signs `message` with this key.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        let digest = SHA256.hash(data: message)
        switch key {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: digest)
        case .p384(let key):
            guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: digest)
        case .p521(let key):
            guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: digest)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: message)
        }
    }
}
