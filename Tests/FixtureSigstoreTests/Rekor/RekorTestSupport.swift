import Crypto
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import X509

@testable import FixtureSigstore
import SwiftASN1

/// A P-256 signer that makes DSSE envelopes and the proposed entries sigstore-js sends for them.
struct RekorTestSigner {
    let key = P256.Signing.PrivateKey()
    static let payloadType = "application/vnd.in-toto+json"

    /// A signed envelope over `payload` (DER ECDSA over the DSSE PAE).
    func envelope(_ payload: String, keyid: String = "") throws -> RekorTestEnvelope {
        let bytes = Array(payload.utf8)
        let pae = RekorDSSECheck.pae(payloadType: Self.payloadType, payload: bytes)
        let signature = Array(try key.signature(for: pae).derRepresentation)
        return RekorTestEnvelope(payload: bytes, payloadType: Self.payloadType, signature: signature, keyid: keyid)
    }

    var publicKeyPEM: String { key.publicKey.pemRepresentation }

    /// A self-signed leaf for the signing key, as PEM (stands in for a Fulcio certificate).
    func certificatePEM(now: Date = Date()) throws -> String {
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName("rekor fixture test signer") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: certificateKey.publicKey,
            notValidBefore: now - 60, notValidAfter: now + 600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions {}, issuerPrivateKey: certificateKey)
        return try certificate.serializeAsPEM().pemString
    }
}

/// A DSSE envelope with one signature.
struct RekorTestEnvelope {
    var payload: [UInt8]
    var payloadType: String
    var signature: [UInt8]
    var keyid: String

    init(payload: [UInt8], payloadType: String, signature: [UInt8], keyid: String) {
        self.payload = payload
        self.payloadType = payloadType
        self.signature = signature
        self.keyid = keyid
    }

    /// From an envelope's protobuf JSON (`{payload, payloadType, signatures: [{sig, keyid}]}`, base64 bytes).
    init(json: JSONValue) throws {
        let signature = json["signatures"]?.arrayValue?.first
        guard let payload = json["payload"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let type = json["payloadType"]?.stringValue,
              let sig = signature?["sig"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
            throw RekorError.badRequest("test envelope JSON lacks payload, payloadType or signature")
        }
        self.init(payload: Array(payload), payloadType: type, signature: Array(sig), keyid: signature?["keyid"]?.stringValue ?? "")
    }

    /// The envelope as sigstore-js's `JSON.stringify(envelopeToJSON(envelope))` writes it.
    var jsonText: String {
        let keyidPart = keyid.isEmpty ? "" : ",\"keyid\":\"\(keyid)\""
        return "{\"payload\":\"\(Data(payload).base64EncodedString())\",\"payloadType\":\"\(payloadType)\",\"signatures\":[{\"sig\":\"\(Data(signature).base64EncodedString())\"\(keyidPart)}]}"
    }

    /// The consumer's model of this envelope.
    func model() throws -> SigstoreBundle.Content {
        .dsseEnvelope(try DSSEEnvelope(json: JSONField(try JSONValue.parse(Data(jsonText.utf8)))))
    }

    /// A `dsse` 0.0.1 proposal (PROTOCOLS §6.1).
    func dsseProposal(verifierPEM: String) throws -> Data {
        let proposal: JSONValue = [
            "apiVersion": "0.0.1", "kind": "dsse",
            "spec": ["proposedContent": ["envelope": .string(jsonText), "verifiers": [.string(Data(verifierPEM.utf8).base64EncodedString())]]],
        ]
        return try proposal.serialized()
    }

    /// An `intoto` 0.0.2 proposal (PROTOCOLS §6.2): payload and signature base64 twice.
    func intotoProposal(publicKeyPEM: String, hash: String = String(repeating: "ab", count: 32)) throws -> Data {
        var signature: [String: JSONValue] = [
            "sig": .string(Data(Data(signature).base64EncodedString().utf8).base64EncodedString()),
            "publicKey": .string(Data(publicKeyPEM.utf8).base64EncodedString()),
        ]
        if !keyid.isEmpty { signature["keyid"] = .string(keyid) }
        let proposal: JSONValue = [
            "apiVersion": "0.0.2", "kind": "intoto",
            "spec": ["content": [
                "envelope": [
                    "payloadType": .string(payloadType),
                    "payload": .string(Data(Data(payload).base64EncodedString().utf8).base64EncodedString()),
                    "signatures": [.object(signature)],
                ],
                "hash": ["algorithm": "sha256", "value": .string(hash)],
                "payloadHash": ["algorithm": "sha256", "value": .string(RekorEncoding.hex(RekorEncoding.sha256(payload)))],
            ]],
        ]
        return try proposal.serialized()
    }
}

/// Our OpenSSL consumer, pointed at a fixture log.
enum RekorConsumer {
    static let pinnedNow = Date(timeIntervalSince1970: 1_760_000_000)

    /// `trusted_root.json` bytes with `log` as its only tlog.
    static func trustedRootJSON(_ log: RekorLog, validFrom: Date = Date(timeIntervalSince1970: 1_700_000_000)) throws -> Data {
        let root: JSONValue = [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log.trustedRootTlog(baseURL: "http://127.0.0.1/rekor", validFrom: validFrom)],
            "certificateAuthorities": [], "ctlogs": [], "timestampAuthorities": [],
        ]
        return try root.serialized()
    }

    static func trusted(_ log: RekorLog) throws -> TrustedMaterial { try TrustedMaterial(jsonData: try trustedRootJSON(log)) }

    /// The bundle JSON item, serialised and decoded the way the consumer reads a bundle.
    static func entry(_ json: JSONValue) throws -> TransparencyLogEntry {
        try TransparencyLogEntry(json: try JSONField.parse(try json.serialized()))
    }

    /// SET, inclusion proof and checkpoint, through the consumer's own tlog step.
    static func verify(_ json: JSONValue, log: RekorLog) throws -> [Date] {
        try TransparencyLogCheck().verify([try entry(json)], trusted: try trusted(log))
    }
}
