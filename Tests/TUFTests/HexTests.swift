import Hex
import Testing

/// The shared hex codec: lowercase out, strict in (even length, ASCII hex digits of either case).
@Suite struct HexTests {
    @Test func encodesLowercaseTwoDigitsPerByte() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode(Array("abc".utf8)) == "616263")
    }

    @Test func roundTripsEveryByteValue() {
        let all = (0...255).map { UInt8($0) }
        let text = Hex.encode(all)
        #expect(text.utf8.count == 512)
        #expect(Hex.decode(text) == all)
        #expect(Hex.decode(Substring(text)) == all)
    }

    @Test func decodesUppercaseAndMixedCase() {
        #expect(Hex.decode("DEADBEEF") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Hex.decode("dEaDbEeF") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "0000f"])
    func refusesOddLength(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test(arguments: ["0g", "zz", "0x00", " 00", "00 ", "-1", "0\u{0}", "é", "٠٠", "+f"])
    func refusesNonHexCharacters(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}
