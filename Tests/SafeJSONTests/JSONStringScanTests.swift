import Foundation
import SafeJSON
import Testing

/// The string scan skips eight bytes at a time: every byte that ends or breaks a string (quote,
/// backslash, control character) and every non-ASCII byte must be seen wherever it falls in a word.
@Suite struct JSONStringScanTests {
    static let filler = Array("abcdefghijklmnopqrstuvwxyz0123".utf8)

    /// `"<prefix><middle><suffix>"` with the middle at every offset 0..<24.
    static func documents(_ middle: [UInt8]) -> [(offset: Int, bytes: [UInt8])] {
        (0..<24).map { offset in
            (offset, [0x22] + filler.prefix(offset) + middle + filler.prefix(7) + [0x22])
        }
    }

    @Test func escapesAreDecodedAtEveryOffset() throws {
        for (offset, bytes) in Self.documents(Array(#"\"\\\n"#.utf8)) {
            let text = try JSONValue.parse(Data(bytes)).stringValue
            #expect(text == String(decoding: Self.filler.prefix(offset), as: UTF8.self) + "\"\\\n" + "abcdefg", "offset \(offset)")
        }
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x09, 0x0A, 0x1F])
    func controlCharactersAreRefusedAtEveryOffset(byte: UInt8) {
        for (offset, bytes) in Self.documents([byte]) {
            #expect(throws: (any Error).self, "offset \(offset)") { try JSONValue.parse(Data(bytes)) }
        }
    }

    @Test func bytesJustAboveTheStopSetPass() throws {
        // 0x20 (space), 0x21, 0x23 and 0x5B/0x5D sit next to the stop bytes.
        for (offset, bytes) in Self.documents([0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F]) {
            let text = try JSONValue.parse(Data(bytes)).stringValue
            #expect(text?.utf8.count == offset + 6 + 7, "offset \(offset)")
        }
    }

    @Test func nonASCIIIsValidatedAtEveryOffset() throws {
        for (offset, bytes) in Self.documents(Array("é😀".utf8)) {
            #expect(try JSONValue.parse(Data(bytes)).stringValue == String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self),
                    "offset \(offset)")
        }
        for invalid in [[UInt8(0xFF)], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            for (offset, bytes) in Self.documents(invalid) {
                #expect(throws: (any Error).self, "offset \(offset) \(invalid)") { try JSONValue.parse(Data(bytes)) }
            }
        }
    }

    @Test func unterminatedStringsAreRefusedWhateverTheirLength() {
        for length in 0..<24 {
            let bytes: [UInt8] = [0x22] + Self.filler.prefix(length)
            #expect(throws: (any Error).self, "length \(length)") { try JSONValue.parse(Data(bytes)) }
        }
    }

    @Test func repeatedKeysKeepTheLastValue() throws {
        let value = try JSONValue.parse(Data(#"{"a":1,"b":2,"a":3}"#.utf8))
        #expect(value["a"]?.numberValue == 3 && value["b"]?.numberValue == 2)
    }
}
