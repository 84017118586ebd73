import Foundation
import SafeJSON
import Testing

/// `trimmingWhitespace` and `lastByteRange` against the Foundation calls they replace.
@Suite struct TextTrimmingTests {
    static let samples = [
        "", " ", "a", " a ", "\ta\t", "\n a \n", "\r\n", "\u{00A0}x\u{3000}", "\u{2028}x\u{2029}", "\u{85}x", "\u{0B}x\u{0C}",
        " \u{301}x", "x \u{301}", "\u{200B}x", "a b", "  @scope/name@^1.0.0\t",
    ]

    @Test(arguments: samples)
    func trimsWhitespaceAsCharacterSetDid(text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(Substring(text).trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: samples)
    func trimsWhitespaceAndNewlinesAsCharacterSetDid(text: String) {
        #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: ["node_modules/a", "node_modules/a/node_modules/b", "a", "/node_modules/node_modules/x",
                      "node_modules/@s/a/node_modules/@t/b", "x/node_modules/"])
    func findsTheLastOccurrenceAsABackwardsSearchDid(path: String) {
        for needle in ["/node_modules/", "node_modules/"] {
            let expected = path.range(of: needle, options: .backwards).map { path.distance(from: path.startIndex, to: $0.lowerBound) }
            let found = path.lastByteRange(of: needle).map { path.distance(from: path.startIndex, to: $0.lowerBound) }
            #expect(found == expected, "\(needle) in \(path)")
        }
    }
}
