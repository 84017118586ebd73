import Crypto
import Foundation
import SwiftASN1

/// DER of an RFC 3161 `TimeStampResp` granting a token, shaped like timestamp.sigstore.dev's:
/// CMS SignedData (RFC 5652) over a `TSTInfo`, one SignerInfo (issuerAndSerialNumber, SHA-256,
/// ecdsa-with-SHA256) with the signed attributes contentType, messageDigest and ESS
/// signingCertificateV2 (RFC 5035), the TSA leaf in `certificates` when the request asked for it.
enum TimeStampTokenDER {
    static let signedData = ASN1ObjectIdentifier("1.2.840.113549.1.7.2")
    static let tstInfo = ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.4")
    static let contentTypeAttribute = ASN1ObjectIdentifier("1.2.840.113549.1.9.3")
    static let messageDigestAttribute = ASN1ObjectIdentifier("1.2.840.113549.1.9.4")
    static let signingCertificateV2Attribute = ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.47")
    static let ecdsaWithSHA256 = ASN1ObjectIdentifier("1.2.840.10045.4.3.2")
    /// Sigstore's timestamping policy (`1.3.6.1.4.1.57264.2`).
    static let policy = ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2")

    /// What one token states and who signs it.
    struct Input {
        let request: TimeStampRequest
        let serialNumber: [UInt8]
        let time: Date
        /// DER of the TSA leaf certificate.
        let certificate: [UInt8]
        let key: P256.Signing.PrivateKey
    }

    /// The whole `TimeStampResp { status { granted }, timeStampToken }`.
    static func response(_ input: Input) throws -> [UInt8] {
        let parts = try CertificateParts(der: input.certificate)
        let info = try tstInfo(input, tsaName: parts.subject)
        let attributes = try signedAttributes(info: info, certificate: input.certificate, parts: parts)
        let signature = Array(try input.key.signature(for: try set(attributes)).derRepresentation)
        return try encode { out in
            try out.appendConstructedNode(identifier: .sequence) { out in
                try out.appendConstructedNode(identifier: .sequence) { try $0.serialize(0) }  // PKIStatus granted
                try out.appendConstructedNode(identifier: .sequence) { out in                // ContentInfo
                    try out.serialize(signedData)
                    try out.appendConstructedNode(identifier: tag(0)) { out in
                        try signedDataBody(into: &out, input: input, info: info, parts: parts, attributes: attributes, signature: signature)
                    }
                }
            }
        }
    }

    private static func signedDataBody(into out: inout DER.Serializer, input: Input, info: [UInt8], parts: CertificateParts,
                                       attributes: [[UInt8]], signature: [UInt8]) throws {
        try out.appendConstructedNode(identifier: .sequence) { out in
            try out.serialize(3)
            try out.appendConstructedNode(identifier: .set) { try sha256Algorithm(into: &$0) }
            try out.appendConstructedNode(identifier: .sequence) { out in
                try out.serialize(tstInfo)
                try out.appendConstructedNode(identifier: tag(0)) { try $0.serialize(ASN1OctetString(contentBytes: info[...])) }
            }
            if input.request.certReq {
                try out.appendConstructedNode(identifier: tag(0)) { $0.serialize(try DER.parse(input.certificate)) }
            }
            try out.appendConstructedNode(identifier: .set) { out in
                try out.appendConstructedNode(identifier: .sequence) { out in
                    try out.serialize(1)
                    try out.appendConstructedNode(identifier: .sequence) { out in  // issuerAndSerialNumber
                        out.serialize(try DER.parse(parts.issuer))
                        out.serialize(try DER.parse(parts.serial))
                    }
                    try sha256Algorithm(into: &out)
                    try out.appendConstructedNode(identifier: tag(0)) { out in
                        for attribute in attributes { out.serialize(try DER.parse(attribute)) }
                    }
                    try out.appendConstructedNode(identifier: .sequence) { try $0.serialize(ecdsaWithSHA256) }
                    try out.serialize(ASN1OctetString(contentBytes: signature[...]))
                }
            }
        }
    }

    /// `TSTInfo { version 1, policy, messageImprint, serialNumber, genTime, accuracy { seconds 1 }, nonce?, tsa [0] { [4] Name } }`.
    static func tstInfo(_ input: Input, tsaName: [UInt8]) throws -> [UInt8] {
        try encode { out in
            try out.appendConstructedNode(identifier: .sequence) { out in
                try out.serialize(1)
                try out.serialize(policy)
                try out.appendConstructedNode(identifier: .sequence) { out in
                    try sha256Algorithm(into: &out)
                    try out.serialize(ASN1OctetString(contentBytes: input.request.hashedMessage[...]))
                }
                try out.serialize(input.serialNumber[...])
                try out.serialize(try generalizedTime(input.time))
                try out.appendConstructedNode(identifier: .sequence) { try $0.serialize(1) }
                if let nonce = input.request.nonceDER { out.serialize(try DER.parse(nonce)) }
                try out.appendConstructedNode(identifier: tag(0)) { out in
                    try out.appendConstructedNode(identifier: tag(4)) { $0.serialize(try DER.parse(tsaName)) }
                }
            }
        }
    }

    /// The signed attributes, each as DER, in DER SET OF order (sorted by encoding), as OpenSSL re-encodes them.
    static func signedAttributes(info: [UInt8], certificate: [UInt8], parts: CertificateParts) throws -> [[UInt8]] {
        let contentType = try attribute(contentTypeAttribute) { try $0.serialize(tstInfo) }
        let digest = try attribute(messageDigestAttribute) { try $0.serialize(ASN1OctetString(contentBytes: SHA256.hash(data: info).map { $0 }[...])) }
        let essCertID = try attribute(signingCertificateV2Attribute) { out in
            try out.appendConstructedNode(identifier: .sequence) { out in          // SigningCertificateV2
                try out.appendConstructedNode(identifier: .sequence) { out in      // certs
                    try out.appendConstructedNode(identifier: .sequence) { out in  // ESSCertIDv2 (hashAlgorithm: default SHA-256)
                        try out.serialize(ASN1OctetString(contentBytes: SHA256.hash(data: certificate).map { $0 }[...]))
                        try out.appendConstructedNode(identifier: .sequence) { out in  // IssuerSerial
                            try out.appendConstructedNode(identifier: .sequence) { out in
                                try out.appendConstructedNode(identifier: tag(4)) { $0.serialize(try DER.parse(parts.issuer)) }
                            }
                            out.serialize(try DER.parse(parts.serial))
                        }
                    }
                }
            }
        }
        return [contentType, digest, essCertID].sorted { $0.lexicographicallyPrecedes($1) }
    }

    private static func attribute(_ type: ASN1ObjectIdentifier, _ value: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        try encode { out in
            try out.appendConstructedNode(identifier: .sequence) { out in
                try out.serialize(type)
                try out.appendConstructedNode(identifier: .set, value)
            }
        }
    }

    /// `SET OF Attribute` with the universal SET tag: the bytes the signature covers (RFC 5652 §5.4).
    private static func set(_ attributes: [[UInt8]]) throws -> [UInt8] {
        try encode { out in
            try out.appendConstructedNode(identifier: .set) { out in
                for attribute in attributes { out.serialize(try DER.parse(attribute)) }
            }
        }
    }

    private static func sha256Algorithm(into out: inout DER.Serializer) throws {
        try out.appendConstructedNode(identifier: .sequence) { out in
            try out.serialize(TimeStampRequest.sha256)
            try out.serialize(ASN1Null())
        }
    }

    private static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return try GeneralizedTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!,
                                   seconds: c.second!, fractionalSeconds: 0)
    }

    static func tag(_ number: UInt) -> ASN1Identifier { ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific) }

    private static func encode(_ body: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try body(&serializer)
        return serializer.serializedBytes
    }
}

/// The issuer, serial number and subject of a certificate, each exactly as encoded in it.
struct CertificateParts {
    let issuer: [UInt8]
    let serial: [UInt8]
    let subject: [UInt8]

    init(der: [UInt8]) throws {
        guard case .constructed(let certificate) = try DER.parse(der).content, let tbs = Array(certificate).first,
              case .constructed(let children) = tbs.content else {
            throw ASN1Error.invalidASN1Object(reason: "TSA certificate: expected a TBSCertificate")
        }
        var fields = Array(children)
        if fields.first?.identifier == TimeStampTokenDER.tag(0) { fields.removeFirst() }  // version
        guard fields.count >= 5 else { throw ASN1Error.invalidASN1Object(reason: "TSA certificate: TBSCertificate too short") }
        serial = Array(fields[0].encodedBytes)
        issuer = Array(fields[2].encodedBytes)
        subject = Array(fields[4].encodedBytes)
    }
}
