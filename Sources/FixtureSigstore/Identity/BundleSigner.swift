public import Foundation
public import SafeJSON
import Crypto
import SwiftASN1
public import X509

/// The signer of a keyless Sigstore bundle as npm's registry checks it when a version is
/// published with provenance: the leaf certificate was issued by this Fulcio, the DSSE signature
/// is the leaf key's over the envelope's PAE, and the leaf's identity extensions say who built it.
/// Found by review: the fixture registry stored a bundle it never verified, and took the
/// repository from the unsigned statement. Independent of verify-install's OpenSSL path.
public struct BundleSigner: Sendable, Equatable {
    /// 1.3.6.1.4.1.57264.1.12, e.g. `https://github.com/mochi-lang/mochi`.
    public let sourceRepositoryURI: String?
    /// 1.3.6.1.4.1.57264.1.11: `github-hosted` or `self-hosted`.
    public let runnerEnvironment: String?

    /// Why a bundle's signer is refused.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Verifies `bundle`'s leaf against `intermediate` and its DSSE signature against the leaf.
    public static func verify(_ bundle: JSONValue, issuedBy intermediate: Certificate) throws(Refusal) -> BundleSigner {
        let leaf = try leafCertificate(bundle)
        guard intermediate.publicKey.isValidSignature(leaf.signature, for: leaf) else {
            throw Refusal(description: "the signing certificate was not issued by this registry's Fulcio")
        }
        let envelope = bundle["dsseEnvelope"]
        guard let type = envelope?["payloadType"]?.stringValue, let payload = envelope?["payload"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let signatures = envelope?["signatures"]?.arrayValue, signatures.count == 1,
              let signature = signatures[0]["sig"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
            throw Refusal(description: "the bundle has no DSSE envelope with one signature")
        }
        let pae = Data("DSSEv1 \(type.utf8.count) \(type) \(payload.count) ".utf8) + payload
        guard let key = P256.Signing.PublicKey(leaf.publicKey), let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature),
              key.isValidSignature(parsed, for: pae) else {
            throw Refusal(description: "the DSSE signature does not verify with the signing certificate's key")
        }
        return BundleSigner(sourceRepositoryURI: extensionText(leaf, 12), runnerEnvironment: extensionText(leaf, 11))
    }

    /// The leaf of a v0.3 (`certificate`) or v0.1/v0.2 (`x509CertificateChain`) bundle.
    static func leafCertificate(_ bundle: JSONValue) throws(Refusal) -> Certificate {
        let material = bundle["verificationMaterial"]
        let raw = material?["certificate"]?["rawBytes"]?.stringValue
            ?? material?["x509CertificateChain"]?["certificates"]?.arrayValue?.first?["rawBytes"]?.stringValue
        guard let der = raw.flatMap({ Data(base64Encoded: $0) }), let leaf = try? Certificate(derEncoded: Array(der)) else {
            throw Refusal(description: "the bundle has no readable signing certificate")
        }
        return leaf
    }

    /// The DER UTF8String of extension 1.3.6.1.4.1.57264.1.`number`, when present and well formed.
    static func extensionText(_ leaf: Certificate, _ number: UInt) -> String? {
        guard let oid = try? ASN1ObjectIdentifier(elements: [1, 3, 6, 1, 4, 1, 57264, 1, number]),
              let value = leaf.extensions[oid: oid]?.value, let text = try? ASN1UTF8String(derEncoded: value) else { return nil }
        return String(text)
    }
}
