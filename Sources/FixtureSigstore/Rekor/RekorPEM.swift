import Foundation

/// Lenient PEM reading, like Go's `encoding/pem.Decode` that Rekor uses: any line length,
/// CRLF or LF, text around the blocks ignored. (swift-asn1 insists on 64-column lines, and
/// sigstore-js and npm's registry send PEM in other shapes.)
enum RekorPEM {
    struct Block: Equatable {
        let type: String
        let der: [UInt8]
    }

    /// Every `-----BEGIN T----- … -----END T-----` block in order; nil when one is malformed or none is found.
    static func parse(_ text: String) -> [Block]? {
        var blocks: [Block] = []
        var rest = Substring(text)
        while let begin = rest.range(of: "-----BEGIN ") {
            guard let typeEnd = rest[begin.upperBound...].range(of: "-----") else { return nil }
            let type = String(rest[begin.upperBound..<typeEnd.lowerBound])
            let endMarker = "-----END \(type)-----"
            guard !type.isEmpty, let end = rest[typeEnd.upperBound...].range(of: endMarker) else { return nil }
            let body = rest[typeEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
            guard let der = RekorEncoding.unbase64(String(body)), !der.isEmpty else { return nil }
            blocks.append(Block(type: type, der: der))
            rest = rest[end.upperBound...]
        }
        return blocks.isEmpty ? nil : blocks
    }
}
