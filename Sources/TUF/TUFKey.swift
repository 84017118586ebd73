import OpenSSLCrypto
import SafeJSON

/// A public key from root or delegations metadata. Supported (keytype / scheme):
/// `ed25519`/`ed25519` (hex raw key); `ecdsa` or `ecdsa-sha2-nistp256|384` / `ecdsa-sha2-nistp256|384`
/// (PEM, or a hex uncompressed point as early go-tuf roots have); `rsa` / `rsassa-pss-sha256|384|512`
/// and `rsa-pkcs1v15-sha256|384|512` (PEM). Other keys parse (their `keyval` may lack `public`) but
/// never verify anything.
public struct TUFKey: Sendable {
    public let keyid: String
    public let keytype: String
    public let scheme: String
    public let publicValue: String
    let verifier: Verifier?

    enum Verifier: Sendable {
        case ed25519(PublicKey)
        case ecdsa(PublicKey, DigestAlgorithm)
        case rsa(PublicKey, DigestAlgorithm, PublicKey.RSAPadding)
    }

    init(keyid: String, _ value: JSONValue, role: String, version: Int?) throws {
        let fields = try Fields(value, role: role, version: version, context: "keys[\(keyid)]")
        self.keyid = keyid
        keytype = try fields.string("keytype")
        scheme = try fields.string("scheme")
        // Key types this client does not implement may carry other keyval fields (e.g. sigstore-oidc).
        publicValue = try fields.fields("keyval").object["public"]?.stringValue ?? ""
        verifier = TUFKey.makeVerifier(keytype: keytype, scheme: scheme, publicValue: publicValue)
    }

    /// Whether this client can check signatures made with this key.
    public var isSupported: Bool { verifier != nil }

    /// The key itself (curve and point, modulus and exponent, raw bytes), whatever key id or encoding lists it:
    /// one key listed under two ids must count once toward a threshold. nil when unsupported.
    var identity: [UInt8]? {
        switch verifier {
        case .ed25519(let key), .ecdsa(let key, _), .rsa(let key, _, _): key.canonicalIdentity
        case nil: nil
        }
    }

    /// Checks the hex `signature` over `message` (canonical signed bytes); false for anything invalid.
    public func verify(signatureHex: String, message: [UInt8]) -> Bool {
        guard let verifier, !signatureHex.isEmpty, let signature = TUFEncoding.unhex(signatureHex) else { return false }
        switch verifier {
        case .ed25519(let key):
            return signature.count == 64 && key.verify(signature: signature, message: message, digest: nil)
        case .ecdsa(let key, let digest):
            return key.verify(signature: signature, message: message, digest: digest)
        case .rsa(let key, let digest, let padding):
            return key.verify(signature: signature, message: message, digest: digest, rsaPadding: padding)
        }
    }

    private static func makeVerifier(keytype: String, scheme: String, publicValue: String) -> Verifier? {
        switch scheme {
        case "ed25519":
            guard keytype == "ed25519", let raw = TUFEncoding.unhex(publicValue), raw.count == 32,
                  let key = try? PublicKey(rawEd25519: raw) else { return nil }
            return .ed25519(key)
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384":
            let p384 = scheme.hasSuffix("384")
            guard ["ecdsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384"].contains(keytype),
                  let key = ecdsaKey(publicValue, p384: p384),
                  key.kind == .ecdsa(curve: p384 ? "secp384r1" : "prime256v1") else { return nil }
            return .ecdsa(key, p384 ? .sha384 : .sha256)
        default:
            return rsaVerifier(keytype: keytype, scheme: scheme, publicValue: publicValue)
        }
    }

    private static func rsaVerifier(keytype: String, scheme: String, publicValue: String) -> Verifier? {
        let padding: PublicKey.RSAPadding
        let hashName: Substring
        if scheme.hasPrefix("rsassa-pss-") {
            padding = .pss; hashName = scheme.dropFirst("rsassa-pss-".count)
        } else if scheme.hasPrefix("rsa-pkcs1v15-") {
            padding = .pkcs1v15; hashName = scheme.dropFirst("rsa-pkcs1v15-".count)
        } else {
            return nil
        }
        guard keytype == "rsa", ["sha256", "sha384", "sha512"].contains(hashName),
              let digest = DigestAlgorithm(rawValue: String(hashName)),
              let key = try? PublicKey(pem: publicValue), case .rsa = key.kind else { return nil }
        return .rsa(key, digest, padding)
    }

    /// PEM SubjectPublicKeyInfo, or a hex uncompressed EC point wrapped into one.
    private static func ecdsaKey(_ text: String, p384: Bool) -> PublicKey? {
        if text.contains("-----BEGIN") { return try? PublicKey(pem: text) }
        guard let point = TUFEncoding.unhex(text), point.first == 0x04, point.count == (p384 ? 97 : 65) else { return nil }
        let header = p384 ? "3076301006072a8648ce3d020106052b81040022036200"
                          : "3059301306072a8648ce3d020106082a8648ce3d030107034200"
        return try? PublicKey(spkiDER: TUFEncoding.unhex(header)! + point)
    }
}
