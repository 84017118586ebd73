import Crypto
public import Foundation
import TUF
public import SafeJSON

/// One TUF role key (Ed25519 or ECDSA P-256) in the form tuf-js accepts (PROTOCOLS §8.2):
/// Ed25519 public keys as hex, P-256 public keys as PEM SPKI, signatures hex
/// (raw for Ed25519, DER for ECDSA over SHA-256). Persisted as PKCS#8 PEM.
public struct TUFSigningKey: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case ed25519
        case p256 = "ecdsa-sha2-nistp256"
    }

    private enum Storage: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
    }

    private let storage: Storage

    public var algorithm: Algorithm {
        switch storage {
        case .ed25519: .ed25519
        case .p256: .p256
        }
    }

    /// A fresh random key.
    public static func generate(_ algorithm: Algorithm = .ed25519) -> TUFSigningKey {
        switch algorithm {
        case .ed25519: TUFSigningKey(storage: .ed25519(Curve25519.Signing.PrivateKey()))
        case .p256: TUFSigningKey(storage: .p256(P256.Signing.PrivateKey()))
        }
    }

    private init(storage: Storage) { self.storage = storage }

    // MARK: - PEM

    /// DER prefix of an Ed25519 PKCS#8 `PrivateKeyInfo` (RFC 8410), followed by the 32-byte seed.
    private static let ed25519PKCS8Prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03,
                                                       0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    /// Loads a PKCS#8 PEM private key (`BEGIN PRIVATE KEY`) holding an Ed25519 or P-256 key.
    public init(pem: String) throws {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            storage = .p256(key)
            return
        }
        let der = try Self.pemBody(pem, label: "PRIVATE KEY")
        guard der.count == 48, Array(der.prefix(16)) == Self.ed25519PKCS8Prefix else {
            throw TUFError.badKey("expected a PKCS#8 Ed25519 or P-256 private key PEM, found \(der.count) DER bytes of another kind")
        }
        storage = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)))
    }

    /// The private key as PKCS#8 PEM, so a fixture world can keep its TUF keys across runs.
    public var pemRepresentation: String {
        switch storage {
        case .p256(let key): return key.pemRepresentation + "\n"
        case .ed25519(let key):
            let der = Data(Self.ed25519PKCS8Prefix) + key.rawRepresentation
            return "-----BEGIN PRIVATE KEY-----\n" + der.base64EncodedString() + "\n-----END PRIVATE KEY-----\n"
        }
    }

    private static func pemBody(_ pem: String, label: String) throws -> Data {
        let lines = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN \(label)-----"),
              let end = lines.firstIndex(of: "-----END \(label)-----"), begin < end,
              let der = Data(base64Encoded: lines[(begin + 1)..<end].joined())
        else { throw TUFError.badKey("expected a PEM block labelled \(label)") }
        return der
    }

    // MARK: - TUF

    /// The key's entry in root `keys`: `{keytype, scheme, keyval: {public}}`.
    public var publicKeyJSON: JSONValue {
        switch storage {
        case .ed25519(let key):
            ["keytype": "ed25519", "scheme": "ed25519", "keyval": ["public": .string(key.publicKey.rawRepresentation.tufHex)]]
        case .p256(let key):
            ["keytype": "ecdsa-sha2-nistp256", "scheme": "ecdsa-sha2-nistp256",
             "keyval": ["public": .string(key.publicKey.pemRepresentation + "\n")]]
        }
    }

    /// SHA-256 hex of the canonical public-key JSON (the TUF convention; tuf-js does not recompute it).
    public var keyID: String {
        // The key JSON holds strings only, so canonical encoding cannot fail.
        SHA256.hash(data: try! TUFCanonicalJSON.encode(publicKeyJSON)).tufHex
    }

    /// The hex signature over `message` (the canonical bytes of a `signed` object).
    public func signatureHex(over message: Data) throws -> String {
        switch storage {
        case .ed25519(let key): try key.signature(for: message).tufHex
        case .p256(let key): try key.signature(for: message).derRepresentation.tufHex
        }
    }

    /// Checks a hex signature the way tuf-js does; used by tests and by `TUFRepository` as a self-check.
    public func isValidSignature(_ hex: String, over message: Data) -> Bool {
        guard let bytes = TUFEncoding.unhex(hex).map({ Data($0) }) else { return false }
        switch storage {
        case .ed25519(let key):
            return key.publicKey.isValidSignature(bytes, for: message)
        case .p256(let key):
            guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: bytes) else { return false }
            return key.publicKey.isValidSignature(signature, for: message)
        }
    }
}

// MARK: - Hex

extension Sequence where Element == UInt8 {
    var tufHex: String { TUFEncoding.hex(Array(self)) }
}
