import Crypto
import Foundation
import X509

/// Fulcio's proof of possession (PROTOCOLS §5.7): the requester signs the token's
/// `sub` (UTF-8) with the key it wants certified; ECDSA with SHA-256, DER signature.
enum ProofOfPossession {
    /// The certified key, once `signature` verifies over `subject` with the PEM SPKI `publicKeyPEM`.
    static func verify(publicKeyPEM: String, signature: [UInt8], subject: String) throws -> Certificate.PublicKey {
        let message = SHA256.hash(data: Data(subject.utf8))
        if let key = try? P256.Signing.PublicKey(pemRepresentation: publicKeyPEM) {
            guard let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature), key.isValidSignature(sig, for: message) else {
                throw mismatch(subject)
            }
            return Certificate.PublicKey(key)
        }
        if let key = try? P384.Signing.PublicKey(pemRepresentation: publicKeyPEM) {
            guard let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature), key.isValidSignature(sig, for: message) else {
                throw mismatch(subject)
            }
            return Certificate.PublicKey(key)
        }
        throw FulcioError(.invalidArgument, "The public key supplied in the request could not be parsed: expected a PEM ECDSA P-256 or P-384 SubjectPublicKeyInfo")
    }

    private static func mismatch(_ subject: String) -> FulcioError {
        FulcioError(.invalidArgument, "The signature supplied in the request could not be verified: expected a proof of possession over \"\(subject)\" by the requested public key")
    }
}
