public import Crypto
public import Foundation
public import SafeJSON
import X509
public import CodedError
import SwiftASN1

/// The wire format of Fulcio's `POST /api/v2/signingCert` as sigstore-js speaks it.
public enum FulcioExchange {
    /// The challenge Fulcio checks the proof of possession against: the token's `email` for
    /// Google and sigstore-oauth issuers, its `sub` otherwise (sigstore-js `extractJWTSubject`).
    public static func challenge(fromJWT jwt: String) throws(PublishError) -> String {
        let claims = try claims(ofJWT: jwt)
        let issuer = claims["iss"]?.stringValue
        let claim = issuer == "https://accounts.google.com" || issuer == "https://oauth2.sigstore.dev/auth" ? "email" : "sub"
        guard let value = claims[claim]?.stringValue, !value.isEmpty else {
            throw PublishError(.fulcio, "expected a \"\(claim)\" claim in the sigstore ID token (issuer \(issuer ?? "none")), found none")
        }
        return value
    }

    /// The payload of a JWT (not verified: the token is ours, Fulcio verifies it).
    public static func claims(ofJWT jwt: String) throws(PublishError) -> [String: JSONValue] {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
              let claims = (try? JSONValue.parse(Data(payload)))?.objectValue else {
            throw PublishError(.fulcio, "expected the sigstore ID token to be a JWT with a JSON payload, found \(parts.count) parts")
        }
        return claims
    }

    /// The request body: the token, the PEM public key, and the base64 DER signature over the challenge.
    public static func requestBody(idToken: String, publicKeyPEM: String, proofOfPossession: [UInt8]) -> OrderedJSON {
        .object([
            ("credentials", .object([("oidcIdentityToken", .string(idToken))])),
            ("publicKeyRequest", .object([
                ("publicKey", .object([("algorithm", .string("ECDSA")), ("content", .string(publicKeyPEM))])),
                ("proofOfPossession", .string(Data(proofOfPossession).base64EncodedString())),
            ])),
        ])
    }

    /// The certificate chain of a 2xx response (`signedCertificateEmbeddedSct` or
    /// `signedCertificateDetachedSct`), leaf first, as the PEM strings Fulcio sent.
    public static func chain(fromResponse body: Data, url: String) throws(PublishError) -> [String] {
        guard let object = (try? JSONValue.parse(body))?.objectValue else {
            throw PublishError(.fulcio, "POST \(url): expected a JSON object, found \(Snippet.of(body))")
        }
        let signed = object["signedCertificateEmbeddedSct"] ?? object["signedCertificateDetachedSct"]
        guard let certificates = signed?["chain"]?["certificates"]?.arrayValue?.compactMap(\.stringValue),
              let leaf = certificates.first else {
            throw PublishError(.fulcio, "POST \(url): expected signedCertificateEmbeddedSct.chain.certificates[], found \(Snippet.of(body))")
        }
        guard PEM.decode(leaf).count == 1 else {
            throw PublishError(.fulcio, "POST \(url): expected the first certificate to be one PEM CERTIFICATE block")
        }
        return certificates
    }
}

extension FulcioExchange {
    /// Fails unless the leaf certificate (DER) is an X.509 certificate for `publicKey`: a CA that
    /// certified some other key must not get our signature published under its certificate.
    public static func checkLeaf(_ der: [UInt8], certifies publicKey: P256.Signing.PublicKey, url: String) throws(PublishError) {
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            throw PublishError(.fulcio, "POST \(url): the leaf certificate is not DER X.509: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(publicKey) else {
            throw PublishError(.fulcio, "POST \(url): expected the leaf certificate to certify our ephemeral key, found a certificate for another key (serial \(certificate.serialNumber))")
        }
    }
}

/// base64url without padding (JWT segments).
enum Base64URL {
    static func decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}

/// A short, printable excerpt of a response body for error messages.
enum Snippet {
    static func of(_ body: Data, limit: Int = 300) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        if body.isEmpty { return "an empty body" }
        return "'" + text + (body.count > limit ? "…" : "") + "'"
    }
}
