import Crypto
public import Foundation
public import SafeJSON
public import SwiftASN1
import X509

/// An RFC 6962 certificate-transparency log that only issues precertificate
/// SCTs, like the one Fulcio submits to (PROTOCOLS §5.4, §5.5). It keeps no
/// tree: the fixture's trust in it is the SCT signature alone.
public struct CTLog: Sendable {
    /// Where a trusted root says the log lives.
    public let baseURL: String
    /// SHA-256 of the log key's DER SubjectPublicKeyInfo (the SCT `log_id` and the trusted root's `logId.keyId`).
    public let logID: [UInt8]
    let privateKey: P256.Signing.PrivateKey
    let clock: @Sendable () -> Date

    /// Without `privateKeyPEM` a fresh P-256 key is generated.
    public init(baseURL: String = "https://ctfe.fixture.invalid/test", privateKeyPEM: String? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let key = try privateKeyPEM.map { try P256.Signing.PrivateKey(pemRepresentation: $0) } ?? P256.Signing.PrivateKey()
        self.baseURL = baseURL
        self.privateKey = key
        self.logID = IdentityEncoding.sha256(key.publicKey.derRepresentation)
        self.clock = clock
    }

    /// The log key as PKCS#8 PEM, so a world can persist it.
    public var privateKeyPEM: String { privateKey.pemRepresentation }
    /// The log's DER SubjectPublicKeyInfo.
    public var publicKeyDER: [UInt8] { Array(privateKey.publicKey.derRepresentation) }

    // MARK: - add-pre-chain

    /// `POST /ct/v1/add-pre-chain` in memory: `chain[0]` is the DER precertificate (with the critical
    /// poison extension), `chain[1]` its issuer. Returns a v1 SCT over the precertificate entry.
    public func addPreChain(_ chain: [[UInt8]]) throws -> SCT {
        guard chain.count >= 2 else { throw CTLogError("expected a precertificate and its issuer, found \(chain.count) certificate(s)") }
        let precertificate: Certificate, issuer: Certificate
        do {
            precertificate = try Certificate(derEncoded: chain[0])
            issuer = try Certificate(derEncoded: chain[1])
        } catch { throw CTLogError("the submitted chain does not parse: \(error)") }
        guard let poison = precertificate.extensions[oid: Self.poisonOID], poison.critical, poison.value == [0x05, 0x00] else {
            throw CTLogError("expected a critical CT poison extension (1.3.6.1.4.1.11129.2.4.3) in the precertificate, found none")
        }
        guard precertificate.issuer == issuer.subject, issuer.publicKey.isValidSignature(precertificate.signature, for: precertificate) else {
            throw CTLogError("the precertificate is not signed by the submitted issuer \(issuer.subject)")
        }
        let tbs = try CertificateDER.tbs(of: chain[0], removingExtension: Self.poisonOID)
        let timestamp = UInt64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let issuerKeyHash = IdentityEncoding.sha256(try CertificateDER.subjectPublicKeyInfo(of: chain[1]))
        let input = SCT.signatureInput(timestamp: timestamp, issuerKeyHash: issuerKeyHash, tbs: tbs, extensions: [])
        let signature = try privateKey.signature(for: input).derRepresentation
        return SCT(logID: logID, timestamp: timestamp, extensions: [], signature: Array(signature))
    }

    // MARK: - Trusted root

    /// The `ctlogs[]` item of `trusted_root.json` (PROTOCOLS §7).
    public func trustedRootEntry(validFrom: Date) -> JSONValue {
        [
            "baseUrl": .string(baseURL),
            "hashAlgorithm": "SHA2_256",
            "publicKey": [
                "rawBytes": .string(Data(publicKeyDER).base64EncodedString()),
                "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                "validFor": ["start": .string(IdentityTime.rfc3339(validFrom))],
            ],
            "logId": ["keyId": .string(Data(logID).base64EncodedString())],
        ]
    }

    /// 1.3.6.1.4.1.11129.2.4.3, the precertificate poison (critical, DER NULL).
    public static let poisonOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 3]
    /// 1.3.6.1.4.1.11129.2.4.2, the embedded SCT list.
    public static let sctListOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 11129, 2, 4, 2]
}

/// A refused CT submission.
public struct CTLogError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = "CT log: " + description }
}
