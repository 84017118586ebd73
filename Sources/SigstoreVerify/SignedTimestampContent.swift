/// The signed `TSTInfo` inside a DER RFC 3161 `TimeStampResp`: what identifies a timestamp.
///
/// The response's status and the CMS's unsigned parts (certificates, unsigned attributes)
/// can be changed without the TSA's key, so two byte-different responses may carry one token.
/// `TimeStampResp ::= SEQ { status, ContentInfo SEQ { OID, [0] SignedData SEQ { version,
/// digestAlgorithms, encapContentInfo SEQ { OID, [0] OCTET STRING TSTInfo } … } } }`.
enum SignedTimestampContent {
    /// The TSTInfo bytes, or nil when the DER does not have that shape (definite lengths only).
    static func tstInfo(_ der: [UInt8]) -> [UInt8]? {
        guard let response = element(der, at: 0, tag: 0x30),
              let status = element(der, at: response.lowerBound, tag: 0x30),
              let contentInfo = element(der, at: status.upperBound, tag: 0x30),
              let contentType = element(der, at: contentInfo.lowerBound, tag: 0x06),
              let explicit = element(der, at: contentType.upperBound, tag: 0xA0),
              let signedData = element(der, at: explicit.lowerBound, tag: 0x30),
              let version = element(der, at: signedData.lowerBound, tag: 0x02),
              let algorithms = element(der, at: version.upperBound, tag: 0x31),
              let encapsulated = element(der, at: algorithms.upperBound, tag: 0x30),
              let eContentType = element(der, at: encapsulated.lowerBound, tag: 0x06),
              let eContent = element(der, at: eContentType.upperBound, tag: 0xA0),
              let octets = element(der, at: eContent.lowerBound, tag: 0x04) else { return nil }
        return Array(der[octets])
    }

    /// The content range of the element with `tag` starting at `offset` (nil if absent or malformed).
    static func element(_ der: [UInt8], at offset: Int, tag: UInt8) -> Range<Int>? {
        guard offset + 1 < der.count, der[offset] == tag else { return nil }
        var start = offset + 2, length = Int(der[offset + 1])
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), offset + 2 + count <= der.count else { return nil }
            length = der[(offset + 2)..<(offset + 2 + count)].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= der.count else { return nil }
        return start..<(start + length)
    }
}
