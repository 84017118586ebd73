import Foundation
import SafeJSON
import Testing

/// The one escaper behind JSON string literals (`OrderedJSONWriter.quote`, Rekor's canonical JSON)
/// and the JUnit/HTML reports (`TextEscaping.xml`).
@Suite struct TextEscapingTests {
    /// Every scalar below U+0080 and the non-characters, as `JSON.stringify` writes them.
    @Test func jsonEscapesAsJSONStringifyDoes() throws {
        #expect(OrderedJSONWriter.quote("a\"b\\c\n\r\t\u{08}\u{0C}") == #""a\"b\\c\n\r\t\b\f""#)
        #expect(OrderedJSONWriter.quote("\u{00}\u{01}\u{1B}\u{1F}") == #""\u0000\u0001\u001b\u001f""#)
        #expect(OrderedJSONWriter.quote("\u{7F}é\u{FFFF}😀/") == "\"\u{7F}é\u{FFFF}😀/\"", "kept as they are, / unescaped")
        // Whatever it writes parses back to the same text.
        let all = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        let parsed = try JSONSerialization.jsonObject(with: Data(OrderedJSONWriter.quote(all).utf8), options: .fragmentsAllowed)
        #expect(parsed as? String == all)
    }

    @Test func xmlEscapesMarkupAndDropsWhatXMLForbids() {
        #expect(TextEscaping.xml(#"<a href="x">Tom & 'Jerry'</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;")
        #expect(TextEscaping.xml("line\n\tnext") == "line\n\tnext")
        #expect(TextEscaping.xml("\u{1B}[31mred\u{1B}[0m\r\u{00}\u{7F}\u{FFFE}") == "[31mred[0m", "controls, CR, DEL and non-characters dropped")
        #expect(TextEscaping.xml("é😀") == "é😀")
    }

    @Test func theGeneralFormTakesATableAndAControlRule() {
        #expect(TextEscaping.escape("a|b\u{01}c", ["|": "\\|"]) { "<\($0.value)>" } == "a\\|b<1>c")
        // Printable ASCII is kept as is unless the table replaces it, below and above U+0040.
        #expect(TextEscaping.escape("a|b", ["|": "\\|"]) { _ in "" } == "a\\|b")
        #expect(TextEscaping.escape("a!b", ["!": "?"]) { _ in "" } == "a?b")
        #expect(TextEscaping.escape("plain-text_1.0", ["|": "\\|", "!": "?"]) { _ in "" } == "plain-text_1.0")
    }
}
