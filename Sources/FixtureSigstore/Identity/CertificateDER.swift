import SwiftASN1

/// DER surgery on certificates that swift-certificates does not offer: the
/// TBSCertificate of a precertificate with one extension removed, which is what
/// an RFC 6962 log signs (PROTOCOLS §5.5).
enum CertificateDER {
    /// The DER `TBSCertificate` of `certificate` with every extension `oid` removed; the
    /// remaining fields and extensions keep their exact bytes and order.
    static func tbs(of certificate: [UInt8], removingExtension oid: ASN1ObjectIdentifier) throws -> [UInt8] {
        let tbs = try firstChild(of: try DER.parse(certificate), "Certificate")
        guard case .constructed(let fields) = tbs.content else { throw malformed("TBSCertificate is not a SEQUENCE") }
        let extensionsTag = ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: tbs.identifier) { out in
            for field in fields {
                guard field.identifier == extensionsTag else { out.serialize(field); continue }
                guard case .constructed(let list) = try firstChild(of: field, "extensions [3]").content else {
                    throw malformed("extensions are not a SEQUENCE")
                }
                let kept = try list.filter { try ASN1ObjectIdentifier(derEncoded: try firstChild(of: $0, "Extension")) != oid }
                out.appendConstructedNode(identifier: extensionsTag) { tagged in
                    tagged.appendConstructedNode(identifier: .sequence) { sequence in
                        for ext in kept { sequence.serialize(ext) }
                    }
                }
            }
        }
        return serializer.serializedBytes
    }

    /// The DER `SubjectPublicKeyInfo` of `certificate`, exactly as encoded in it (what RFC 6962's
    /// `issuer_key_hash` hashes).
    static func subjectPublicKeyInfo(of certificate: [UInt8]) throws -> [UInt8] {
        let tbs = try firstChild(of: try DER.parse(certificate), "Certificate")
        guard case .constructed(let fields) = tbs.content else { throw malformed("TBSCertificate is not a SEQUENCE") }
        let list = Array(fields)
        // version [0] (optional), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        let index = list.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) ? 6 : 5
        guard list.count > index else { throw malformed("TBSCertificate has no subjectPublicKeyInfo") }
        return Array(list[index].encodedBytes)
    }

    private static func firstChild(of node: ASN1Node, _ what: String) throws -> ASN1Node {
        guard case .constructed(let children) = node.content, let first = children.first(where: { _ in true }) else {
            throw malformed("\(what) has no contents")
        }
        return first
    }

    private static func malformed(_ reason: String) -> ASN1Error {
        ASN1Error.invalidASN1Object(reason: "certificate: \(reason)")
    }
}
