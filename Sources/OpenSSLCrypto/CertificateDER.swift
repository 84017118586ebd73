/// One DER element (single-byte tag, definite length) located in a byte array.
struct DERElement {
    let tag: UInt8
    /// Offset of the tag byte.
    let start: Int
    /// Offset of the first content byte.
    let contentStart: Int
    /// One past the last content byte.
    let end: Int
}

/// Reads parts of a certificate exactly as they are encoded, without re-encoding anything.
enum DER {
    /// The element at `offset`, which must end at or before `limit`; nil when malformed.
    static func element(_ bytes: [UInt8], at offset: Int, limit: Int) -> DERElement? {
        guard offset + 2 <= limit, limit <= bytes.count, bytes[offset] & 0x1F != 0x1F else { return nil }
        var cursor = offset + 1
        let first = Int(bytes[cursor])
        cursor += 1
        var length = first
        if first >= 0x80 {
            let count = first & 0x7F
            guard count >= 1, count <= 4, cursor + count <= limit else { return nil }
            length = 0
            for _ in 0..<count { length = length << 8 | Int(bytes[cursor]); cursor += 1 }
        }
        guard length <= limit - cursor else { return nil }
        return DERElement(tag: bytes[offset], start: offset, contentStart: cursor, end: cursor + length)
    }

    /// The elements that exactly fill `range`, in order; nil when they do not.
    static func children(_ bytes: [UInt8], _ range: Range<Int>) -> [DERElement]? {
        var result: [DERElement] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard let element = element(bytes, at: offset, limit: range.upperBound) else { return nil }
            result.append(element)
            offset = element.end
        }
        return result
    }

    /// A tag and a minimal definite length.
    static func header(_ tag: UInt8, length: Int) -> [UInt8] {
        if length < 0x80 { return [tag, UInt8(length)] }
        var digits: [UInt8] = []
        var rest = length
        while rest > 0 { digits.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [tag, 0x80 | UInt8(digits.count)] + digits
    }
}

extension Certificate {
    /// DER of the embedded SCT list extension's OID, 1.3.6.1.4.1.11129.2.4.2.
    static let embeddedSCTListOID: [UInt8] = [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x02]

    /// The certificate's three elements (TBSCertificate, signatureAlgorithm, signatureValue) and
    /// the TBSCertificate's elements, as encoded in `derBytes`.
    var encodedElements: (parts: [DERElement], items: [DERElement])? {
        let der = derBytes
        guard let certificate = DER.element(der, at: 0, limit: der.count), certificate.tag == 0x30, certificate.end == der.count,
              let parts = DER.children(der, certificate.contentStart..<certificate.end), parts.count == 3, parts[0].tag == 0x30,
              let items = DER.children(der, parts[0].contentStart..<parts[0].end) else { return nil }
        return (parts, items)
    }

    /// The TBSCertificate element and its elements, as encoded in `derBytes`.
    var tbsElements: (tbs: DERElement, items: [DERElement])? {
        encodedElements.map { ($0.parts[0], $0.items) }
    }

    /// The subjectPublicKeyInfo exactly as encoded in the certificate; nil when the TBS is not as expected.
    var encodedSubjectPublicKeyInfo: [UInt8]? {
        guard let (_, items) = tbsElements else { return nil }
        let index = (items.first?.tag == 0xA0 ? 1 : 0) + 5  // [version,] serial, signature, issuer, validity, subject, SPKI
        guard index < items.count, items[index].tag == 0x30 else { return nil }
        return Array(derBytes[items[index].start..<items[index].end])
    }

    /// The TBSCertificate as encoded, with the first embedded SCT list extension cut out and the
    /// enclosing lengths rewritten (RFC 6962 §3.2); nil when the layout is not the usual one
    /// (no extensions, or the SCT list is the only one), for the caller to re-encode instead.
    var precertificateTBSAsEncoded: [UInt8]?? {
        let der = derBytes
        guard let (tbs, items) = tbsElements, let wrapper = items.last, wrapper.tag == 0xA3,
              let sequences = DER.children(der, wrapper.contentStart..<wrapper.end), sequences.count == 1, sequences[0].tag == 0x30,
              let extensions = DER.children(der, sequences[0].contentStart..<sequences[0].end) else { return nil }
        guard let removed = extensions.first(where: { der[$0.contentStart..<$0.end].starts(with: Self.embeddedSCTListOID) }) else {
            return .some(nil)
        }
        guard extensions.count > 1 else { return nil }
        let kept = Array(der[sequences[0].contentStart..<removed.start]) + der[removed.end..<sequences[0].end]
        let sequence = DER.header(0x30, length: kept.count) + kept
        let body = Array(der[tbs.contentStart..<wrapper.start]) + DER.header(0xA3, length: sequence.count) + sequence
        return .some(DER.header(0x30, length: body.count) + body)
    }
}
