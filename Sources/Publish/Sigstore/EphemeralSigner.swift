public import Crypto
import Foundation
public import CodedError

/// A P-256 key made for one publish and then forgotten (sigstore-js's `EphemeralSigner`):
/// it proves possession to Fulcio and signs the DSSE PAE, both ECDSA with SHA-256, DER.
public struct EphemeralSigner: Sendable {
    private let key: P256.Signing.PrivateKey

    /// A fresh random key, never one whose certificate npm 10 would misread
    /// (``keyIdentifierIsMisreadBySigstoreJS(_:)``).
    public init() {
        var candidate = P256.Signing.PrivateKey()
        while Self.keyIdentifierIsMisreadBySigstoreJS(Self.fulcioKeyIdentifier(of: candidate.publicKey)) {
            candidate = P256.Signing.PrivateKey()
        }
        key = candidate
    }

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

    /// The subject key identifier Fulcio puts in the certificate: SHA-1 of the public key's bits
    /// (RFC 5280 §4.2.1.2, method 1).
    static func fulcioKeyIdentifier(of publicKey: P256.Signing.PublicKey) -> [UInt8] {
        Array(Insecure.SHA1.hash(data: publicKey.x963Representation))
    }

    /// Whether sigstore-js (npm 10) would change a certificate with this subject key identifier: it
    /// reads an OCTET STRING's contents as ASN.1 when they parse, and writes a long-form length back in
    /// short form, so the certificate's signed bytes change and npm fails the chain ("Failed to verify
    /// certificate chain") although the certificate is valid. About one key in 50,000: the world's
    /// publisher, like any client, simply draws another ephemeral key.
    static func keyIdentifierIsMisreadBySigstoreJS(_ identifier: [UInt8]) -> Bool {
        longFormLength(in: identifier[...]) == true
    }

    /// Parses `bytes` as consecutive BER elements (into constructed ones): nil when they do not parse
    /// completely, else whether any length is in long form.
    private static func longFormLength(in bytes: ArraySlice<UInt8>) -> Bool? {
        var index = bytes.startIndex, longForm = false
        while index < bytes.endIndex {
            guard bytes[index] & 0x1f != 0x1f, index + 1 < bytes.endIndex else { return nil }
            let constructed = bytes[index] & 0x20 != 0
            var length = Int(bytes[index + 1]), start = index + 2
            if length & 0x80 != 0 {
                let count = length & 0x7f
                guard (1...4).contains(count), start + count <= bytes.endIndex else { return nil }
                length = bytes[start..<(start + count)].reduce(0) { $0 << 8 | Int($1) }
                start += count
                longForm = true
            }
            guard length <= bytes.endIndex - start else { return nil }
            if constructed {
                guard let inner = longFormLength(in: bytes[start..<(start + length)]) else { return nil }
                longForm = longForm || inner
            }
            index = start + length
        }
        return longForm
    }
}
