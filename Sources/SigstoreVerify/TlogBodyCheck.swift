import FoundationEssentials
import Hex
public import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Checks that a canonicalized Rekor body records this bundle (PROTOCOLS §6.1, §6.2; hashedrekord 0.0.1).
///
/// Like sigstore-js: kind/version must match `kindVersion`, the logged signature must
/// equal the bundle's, and the logged payload/artifact hash must equal the bundle's. Like
/// sigstore-go, the logged verifier (certificate or key) must also be the bundle's signer, so an
/// entry logged under another identity does not count for this one.
public struct TlogBodyCheck: Sendable {
    public init() {}

    /// `leaf` and `key` are the established signer (checked against hashedrekord 0.0.2 verifiers).
    public func verify(_ entry: TransparencyLogEntry, content: SigstoreBundle.Content, leaf: Certificate?, key: PublicKey) throws {
        let body: JSONField
        do { body = try JSONField.parse(Data(entry.canonicalizedBody)) } catch {
            throw VerificationError(.tlogBody, "log entry \(entry.logIndex) body is not JSON: \(error)")
        }
        do {
            let kind = try body.required("kind").string(), version = try body.required("apiVersion").string()
            guard kind == entry.kind, version == entry.version else {
                throw VerificationError(.tlogBody, "expected body kind \(entry.kind)/\(entry.version), found \(kind)/\(version)")
            }
            let spec = try body.required("spec")
            switch (kind, version, content) {
            case ("hashedrekord", "0.0.1", .messageSignature(let message)):
                try hashedRekord(spec, message)
                try compareVerifier(try spec.required("signature").required("publicKey").required("content").base64(), leaf: leaf, key: key)
            case ("dsse", "0.0.1", .dsseEnvelope(let envelope)):
                let signatures = try spec.required("signatures").array()
                guard signatures.count == 1 else { throw mismatch("expected 1 signature in the dsse body, found \(signatures.count)") }
                try compare(try signatures[0].required("signature").base64(), envelope.signature.sig, "signature")
                try comparePayloadHash(try spec.required("payloadHash"), envelope.payload)
                try compareVerifier(try signatures[0].required("verifier").base64(), leaf: leaf, key: key)
            case ("intoto", "0.0.2", .dsseEnvelope(let envelope)):
                let content = try spec.required("content")
                let signatures = try content.required("envelope").required("signatures").array()
                guard signatures.count == 1 else { throw mismatch("expected 1 signature in the intoto body, found \(signatures.count)") }
                let inner = try signatures[0].required("sig").base64()
                guard let sig = Data(base64Encoded: Data(inner)) else { throw mismatch("intoto signature is not double base64") }
                try compare([UInt8](sig), envelope.signature.sig, "signature")
                try comparePayloadHash(try content.required("payloadHash"), envelope.payload)
                try compareVerifier(try signatures[0].required("publicKey").base64(), leaf: leaf, key: key)
            case ("hashedrekord", "0.0.2", _):
                try hashedRekordV2(try spec.required("hashedRekordV002"), content, leaf: leaf, key: key)
            default:
                throw VerificationError(.tlogBody, "log entry kind \(kind)/\(version) does not match or is unsupported for this bundle content")
            }
        } catch let error as SigstoreModelError {
            throw VerificationError(.tlogBody, "log entry \(entry.logIndex) body: \(error)")
        }
    }

    func hashedRekord(_ spec: JSONField, _ message: MessageSignature) throws {
        try compare(try spec.required("signature").required("content").base64(), message.signature, "signature")
        let hash = try spec.required("data").required("hash")
        guard let digest = message.digest else { throw mismatch("bundle has no message digest to compare with the logged hash") }
        let algorithm = try hash.required("algorithm").string()
        guard algorithm == "sha256", message.digestAlgorithm == "SHA2_256" else {
            throw mismatch("expected sha256 digests, found logged \(algorithm) and bundle \(message.digestAlgorithm ?? "none")")
        }
        try compare(Self.hex(try hash.required("value").string()), digest, "artifact digest")
    }

    /// Rekor v2: data digest = message digest (or SHA-256 of the DSSE PAE), signature and verifier equal the
    /// bundle's (its certificate when it has one).
    func hashedRekordV2(_ spec: JSONField, _ content: SigstoreBundle.Content, leaf: Certificate?, key: PublicKey) throws {
        let data = try spec.required("data")
        guard try data.required("algorithm").string() == "SHA2_256" else { throw mismatch("expected a SHA2_256 hashedrekord digest") }
        let logged = try data.required("digest").base64()
        let signature = try spec.required("signature")
        let loggedSignature = try signature.required("content").base64()
        switch content {
        case .messageSignature(let message):
            guard let digest = message.digest else { throw mismatch("bundle has no message digest to compare with the logged digest") }
            try compare(logged, digest, "artifact digest")
            try compare(loggedSignature, message.signature, "signature")
        case .dsseEnvelope(let envelope):
            try compare(logged, Digest.hash(.sha256, envelope.pae), "DSSE PAE digest")
            try compare(loggedSignature, envelope.signature.sig, "signature")
        }
        // As for v1 bodies, a certificate-signed bundle's entry must log the certificate: a bare key
        // would leave the identity out of the log, unseen by anyone monitoring it.
        let verifier = try signature.required("verifier")
        if let certificate = try verifier.optional("x509Certificate") {
            try compare(try certificate.required("rawBytes").base64(), leaf?.derBytes ?? [], "signing certificate")
        } else if leaf != nil {
            throw mismatch("logged verifier is a bare public key, but the bundle is signed by a certificate")
        } else {
            try compare(try verifier.required("publicKey").required("rawBytes").base64(), key.spkiDER, "public key")
        }
    }

    /// A v1 body's verifier: base64 of one PEM certificate (its DER must be `leaf`'s) or, for a
    /// key-signed bundle only, one PEM public key (its DER must be `key`'s SubjectPublicKeyInfo).
    /// Compared as DER bytes, so no second parse of the signer is needed.
    func compareVerifier(_ pem: [UInt8], leaf: Certificate?, key: PublicKey) throws {
        guard let block = Self.pemBlock(pem) else { throw mismatch("logged verifier is not one PEM block") }
        switch block.label {
        case "CERTIFICATE": try compare(block.der, leaf?.derBytes ?? [], "signing certificate")
        case "PUBLIC KEY" where leaf == nil: try compare(block.der, key.spkiDER, "public key")
        case "PUBLIC KEY": throw mismatch("logged verifier is a bare public key, but the bundle is signed by a certificate")
        default: throw mismatch("logged verifier is a PEM \(block.label), not a certificate or public key")
        }
    }

    /// The label and DER of `pem` when it is exactly one PEM block (blank lines and spaces around
    /// lines allowed), read as bytes: this runs for every bundle.
    static func pemBlock(_ pem: [UInt8]) -> (label: String, der: [UInt8])? {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        let lines = pem.split(separator: UInt8(ascii: "\n")).map { line -> ArraySlice<UInt8> in
            let start = line.firstIndex { !blank($0) } ?? line.endIndex
            let end = line.lastIndex { !blank($0) }.map { $0 + 1 } ?? start
            return line[start..<max(start, end)]
        }.filter { !$0.isEmpty }
        let begin = Array("-----BEGIN ".utf8), finish = Array("-----END ".utf8), dashes = Array("-----".utf8)
        guard lines.count >= 3, let first = lines.first, let last = lines.last, first.count > begin.count + dashes.count,
              first.starts(with: begin), first.suffix(dashes.count).elementsEqual(dashes) else { return nil }
        let label = Array(first.dropFirst(begin.count).dropLast(dashes.count))
        let body = lines.dropFirst().dropLast()
        var base64: [UInt8] = []
        base64.reserveCapacity(pem.count)
        for line in body { base64.append(contentsOf: line) }
        guard last.elementsEqual(finish + label + dashes), !body.contains(where: { $0.starts(with: dashes) }),
              let der = Data(base64Encoded: Data(base64)) else { return nil }
        return (String(decoding: label, as: UTF8.self), Array(der))
    }

    func comparePayloadHash(_ hash: JSONField, _ payload: [UInt8]) throws {
        guard try hash.required("algorithm").string() == "sha256" else { throw mismatch("expected a sha256 payloadHash") }
        try compare(Self.hex(try hash.required("value").string()), Digest.hash(.sha256, payload), "payload hash")
    }

    func compare(_ logged: [UInt8]?, _ bundle: [UInt8], _ what: String) throws {
        guard let logged, constantTimeEquals(logged, bundle) else { throw mismatch("logged \(what) differs from the bundle's") }
    }

    func mismatch(_ message: String) -> VerificationError { VerificationError(.tlogBody, message) }

    /// Decodes lowercase or uppercase hex; nil for anything else.
    static func hex(_ text: String) -> [UInt8]? { Hex.decode(text) }
}
