import SwiftASN1

/// An RFC 3161 `TimeStampReq` as the authority needs it:
/// `SEQUENCE { version 1, messageImprint { hashAlgorithm, hashedMessage }, reqPolicy OID?, nonce INTEGER?, certReq BOOLEAN DEFAULT FALSE, extensions [0]? }`.
struct TimeStampRequest: Sendable, Equatable {
    /// SHA-256 only (what sigstore clients send).
    static let sha256 = ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1")

    let hashedMessage: [UInt8]
    /// The nonce INTEGER exactly as encoded (echoed into the token).
    let nonceDER: [UInt8]?
    let certReq: Bool

    /// Parses DER; anything else is a 400 naming the field.
    init(der: [UInt8]) throws(TimestampError) {
        do {
            let root = try DER.parse(der)
            guard root.identifier == .sequence, case .constructed(let children) = root.content else {
                throw TimestampError.badRequest("TimeStampReq: expected a SEQUENCE")
            }
            var fields = Array(children)
            guard fields.count >= 2, try Int(derEncoded: fields[0]) == 1 else {
                throw TimestampError.badRequest("TimeStampReq: expected version 1 and a messageImprint")
            }
            guard case .constructed(let imprint) = fields[1].content, let algorithm = Array(imprint).first,
                  case .constructed(let algorithmFields) = algorithm.content, let oid = Array(algorithmFields).first,
                  Array(imprint).count == 2 else {
                throw TimestampError.badRequest("TimeStampReq.messageImprint: expected { AlgorithmIdentifier, OCTET STRING }")
            }
            guard try ASN1ObjectIdentifier(derEncoded: oid) == Self.sha256 else {
                throw TimestampError.badRequest("TimeStampReq.messageImprint: expected the SHA-256 hash algorithm")
            }
            let hashed = try ASN1OctetString(derEncoded: Array(imprint)[1]).bytes
            guard hashed.count == 32 else {
                throw TimestampError.badRequest("TimeStampReq.messageImprint: expected a 32-byte SHA-256 digest, found \(hashed.count) bytes")
            }
            hashedMessage = Array(hashed)
            fields.removeFirst(2)
            if let first = fields.first, first.identifier == .objectIdentifier { fields.removeFirst() }  // reqPolicy: ignored
            if let first = fields.first, first.identifier == .integer {
                nonceDER = Array(first.encodedBytes)
                fields.removeFirst()
            } else {
                nonceDER = nil
            }
            certReq = try fields.first.map { $0.identifier == .boolean ? try Bool(derEncoded: $0) : false } ?? false
        } catch let error as TimestampError {
            throw error
        } catch {
            throw TimestampError.badRequest("TimeStampReq: expected DER: \(error)")
        }
    }
}
