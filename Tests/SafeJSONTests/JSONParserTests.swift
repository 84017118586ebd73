import FixtureTesting
import Foundation
import SafeJSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let text = #"{"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","n":-12.5e2,"i":42,"t":true,"f":false,"z":null,"a":[1,[],{}],"o":{"k":"v"}}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["s"]?.stringValue == "a\"b\\c/d\né😀")
        #expect(value["n"]?.numberValue == -1250)
        #expect(value["i"]?.numberValue == 42)
        #expect(value["t"]?.boolValue == true && value["f"]?.boolValue == false)
        #expect(value["z"] == .null)
        #expect(value["a"]?.arrayValue?.count == 3)
        #expect(value["o"]?["k"]?.stringValue == "v")
    }

    @Test func agreesWithFoundationOnARealPackument() throws {
        let file = Repository.vector("npm-real/pacote/abbrev-packument-full.json")
        let data = try Data(contentsOf: file)
        let ours = try JSONValue.parse(data)
        let theirs = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(ours == theirs)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "tru", "nul", "{} x",
        "\"\\ud800\"", "\"\\udc00\"", "[1 2]", "{\"a\" 1}", "\"unterminated",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    /// For files npm reads itself: what JSON.parse reads is read, where strict parsing refuses.
    @Test func readsLikeJSONParseWhereAsked() throws {
        let text = Data(#"{"a":"x\ud800y","b":"\udc00","c":"\ud800\u0041","d":"\ud83d\ude00","n":1e400,"m":-1e400}"#.utf8)
        #expect(throws: (any Error).self) { try JSONValue.parse(text) }
        let value = try JSONValue.parseLikeJSONParse(text)
        #expect(value["a"]?.stringValue == "x\u{FFFD}y" && value["b"]?.stringValue == "\u{FFFD}")
        #expect(value["c"]?.stringValue == "\u{FFFD}A" && value["d"]?.stringValue == "😀")
        #expect(value["n"]?.numberValue == .infinity && value["m"]?.numberValue == -.infinity)
        #expect(throws: (any Error).self) { try JSONValue.parseLikeJSONParse(Data(#"{"a":"\ud800\uZZZZ"}"#.utf8)) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }
    }

    @Test func enforcesNestingLimitWhileParsing() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(Data(ok.utf8)) }
        let deep = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONDepthGuard.TooDeep.self) { try JSONValue.parse(Data(deep.utf8)) }
    }

    /// Found by review: a document of many tiny values takes 28 times its bytes parsed.
    @Test func enforcesAValueLimitWhileParsing() throws {
        let five = Data(#"[1,[2,3],{"a":4}]"#.utf8)  // the array, 1, [2,3], 2, 3, the object, 4: seven values
        #expect(try JSONValue.parse(five, maxValues: 7).arrayValue?.count == 3)
        #expect(throws: (any Error).self) { try JSONValue.parse(five, maxValues: 6) }
    }

    @Test func aKeyRepeatedByteForByteKeepsTheLastValueAsJSONParseDoes() throws {
        let value = try JSONValue.parse(Data(#"{"a":1,"a":2}"#.utf8))
        #expect(value["a"]?.numberValue == 2)
        #expect(throws: (any Error).self) { try JSONValue.parseRefusingDuplicateKeys(Data(#"{"a":1,"a":2}"#.utf8)) }
    }

    /// JavaScript keeps "\u{212A}" (Kelvin sign) and "K", or NFC and NFD spellings, as two keys;
    /// a Swift dictionary would merge them and read another document than npm does.
    @Test(arguments: [("\u{212A}efir", "Kefir"), ("caf\u{E9}", "cafe\u{301}"), ("a\u{37E}", "a;")])
    func refusesKeysThatDifferOnlyInUnicodeForm(first: String, second: String) throws {
        let text = "{\"\(first)\":{\"version\":\"1.0.0\"},\"\(second)\":{\"version\":\"6.6.6\"}}"
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
        let nested = "{\"packages\":" + text + "}"
        let error = try #require(throws: (any Error).self) { try JSONValue.parse(Data(nested.utf8)) }
        #expect("\(error)".contains("differ only in Unicode form"))
    }
}
