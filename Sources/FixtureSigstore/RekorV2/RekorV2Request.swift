import Crypto
import Foundation
import SafeJSON
import X509
import SwiftASN1

/// Rekor v2's `CreateEntryRequest` for `hashedrekord` v0.0.2 and the entry body it logs (rekor-tiles,
/// protobuf-specs `rekor/v2`): the request `{"hashedRekordRequestV002": {digest, signature: {content,
/// verifier: {x509Certificate | publicKey: {rawBytes}, keyDetails}}}}`, the body
/// `{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest"},"signature":…}}}`
/// as RFC 8785 JSON. The signature must verify over the digest with the verifier (ECDSA P-256, SHA-256).
enum RekorV2Request {
    static let keyDetails = "PKIX_ECDSA_P256_SHA_256"

    static func canonicalBody(_ data: Data) throws(RekorError) -> [UInt8] {
        guard data.count <= RekorLimits.maxProposedEntryBytes else {
            throw .badRequest("entry request of \(data.count) bytes exceeds the \(RekorLimits.maxProposedEntryBytes)-byte limit")
        }
        let root: RekorProposalField
        do { root = RekorProposalField(try JSONValue.parse(data, maxDepth: 16), path: "") } catch {
            throw .badRequest("entry request: expected JSON: \(error)")
        }
        guard let request = try root.optional("hashedRekordRequestV002") else {
            let other = try root.optional("dsseRequestV002") != nil ? "dsseRequestV002 (the fixture log takes DSSE as a hashedrekord over the PAE)" : "nothing"
            throw .badRequest("entry request: expected hashedRekordRequestV002, found \(other)")
        }
        let digest = try request.required("digest").base64()
        guard let prehashed = PrehashedDigest(digest) else {
            throw .badRequest("\(request.path).digest: expected a 32-byte SHA-256 digest, found \(digest.count) bytes")
        }
        let signature = try request.required("signature")
        let content = try signature.required("content").base64()
        let verifier = try signature.required("verifier")
        let details = try verifier.required("keyDetails").string()
        guard details == keyDetails else {
            throw .badRequest("\(verifier.path).keyDetails: expected \(keyDetails), found \(details)")
        }
        let (key, loggedVerifier) = try publicKey(of: verifier)
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: content), key.isValidSignature(parsed, for: prehashed) else {
            throw .badRequest("\(signature.path).content: the signature does not verify over the digest with the verifier's key")
        }
        let body: JSONValue = [
            "apiVersion": "0.0.2",
            "kind": "hashedrekord",
            "spec": ["hashedRekordV002": [
                "data": ["algorithm": "SHA2_256", "digest": .string(RekorEncoding.base64(digest))],
                "signature": ["content": .string(RekorEncoding.base64(content)), "verifier": loggedVerifier],
            ]],
        ]
        return RekorCanonicalJSON.bytes(body)
    }

    /// The P-256 key of an `x509Certificate` or `publicKey` verifier, and the verifier as logged.
    private static func publicKey(of verifier: RekorProposalField) throws(RekorError) -> (P256.Signing.PublicKey, JSONValue) {
        if let certificate = try verifier.optional("x509Certificate") {
            let der = try certificate.required("rawBytes").base64()
            guard let parsed = try? Certificate(derEncoded: der), let key = P256.Signing.PublicKey(parsed.publicKey) else {
                throw .badRequest("\(certificate.path).rawBytes: expected a DER X.509 certificate for a P-256 key")
            }
            return (key, ["keyDetails": .string(keyDetails), "x509Certificate": ["rawBytes": .string(RekorEncoding.base64(der))]])
        }
        let raw = try verifier.required("publicKey").required("rawBytes").base64()
        guard let key = try? P256.Signing.PublicKey(derRepresentation: raw) else {
            throw .badRequest("\(verifier.path).publicKey.rawBytes: expected a DER SubjectPublicKeyInfo of a P-256 key")
        }
        return (key, ["keyDetails": .string(keyDetails), "publicKey": ["rawBytes": .string(RekorEncoding.base64(raw))]])
    }
}
