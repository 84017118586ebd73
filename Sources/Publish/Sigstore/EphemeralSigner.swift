import Crypto
import Foundation

/// A P-256 key made for one publish and then forgotten (sigstore-js's `EphemeralSigner`):
/// it proves possession to Fulcio and signs the DSSE PAE, both ECDSA with SHA-256, DER.
public struct EphemeralSigner: Sendable {
    private let key: P256.Signing.PrivateKey

    /// A fresh random key.
    public init() { key = P256.Signing.PrivateKey() }

    /// A given key (tests pin one to get stable requests).
    public init(key: P256.Signing.PrivateKey) { self.key = key }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), as Fulcio expects it.
    public var publicKeyPEM: String { key.publicKey.pemRepresentation }

    /// The public key, for verification in tests.
    public var publicKey: P256.Signing.PublicKey { key.publicKey }

    /// DER ECDSA-SHA256 signature of `bytes`.
    public func sign(_ bytes: [UInt8]) throws(PublishError) -> [UInt8] {
        do { return Array(try key.signature(for: bytes).derRepresentation) } catch {
            throw PublishError(.fulcio, "cannot sign with the ephemeral P-256 key: \(error)")
        }
    }
}
