import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// `CompactJSONWriter` must write exactly the bytes `JSONEncoder` writes for the same tree: the
/// registry serves them, and signed payloads (publish attestations) are built from them.
@Suite struct CompactJSONWriterTests {
    private static func encoderBytes(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    private static func expectSameBytes(_ value: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try CompactJSONWriter.data(value)
        let theirs = try encoderBytes(value)
        #expect(ours == theirs, "ours: \(String(decoding: ours, as: UTF8.self))\nJSONEncoder: \(String(decoding: theirs, as: UTF8.self))",
                sourceLocation: sourceLocation)
    }

    @Test func sortsKeysByTheirUTF8BytesLikeJSONEncoder() throws {
        // Decomposed "á" sorts between "ab" and "e" by bytes, after "z" by Swift's String order.
        let keys = ["a10", "a9", "B", "a", "_", "é", "e", "Z", "z", "ab", "aB", "Ab", "10", "9", "-", "@mochi/x", "@mochi/X",
                    "ä", "a\u{0301}b", "\u{1F600}", "a b", "\u{FB00}", "\u{FF21}", ""]
        try Self.expectSameBytes(.object(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, .number(Double($0))) })))
    }

    @Test func escapesStringsLikeJSONEncoder() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! }))
        try Self.expectSameBytes(.array([.string(controls), .string("\"\\/\u{7F}\u{2028}\u{2029}é😀\u{FFFF}"), .string(""),
                                         .object(["k\"\n\\": .string("v\t")])]))
    }

    @Test func writesNumbersLikeJSONEncoder() throws {
        let numbers: [Double] = [0, -0.0, 1, -1, 1.5, 0.1, -2.25, 1e300, -1e-300, 1e15, 1e15 - 1, -1e15 + 1, 123456789012345680,
                                 1e-7, 3e20, 2.5e-5, .pi, Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, 9007199254740992]
        try Self.expectSameBytes(.array(numbers.map(JSONValue.number)))
    }

    @Test func refusesNonFiniteNumbersAsJSONEncoderDoes() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: CompactJSONWriter.NonFiniteNumber.self) { try CompactJSONWriter.data(.array([.number(value)])) }
            #expect(throws: (any Error).self) { try Self.encoderBytes(.number(value)) }
        }
    }

    @Test func randomTreesSerialiseToTheSameBytes() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<300 { try Self.expectSameBytes(Self.randomValue(depth: 4, using: &generator)) }
    }

    @Test func realDocumentsSerialiseToTheSameBytes() throws {
        let files = [Repository.vector("npm-real/manifests.json"), Repository.vector("npm-real/attestation-cases.json"),
                     Repository.registryConfig]
        for file in files {
            try Self.expectSameBytes(try JSONValue.parse(try Data(contentsOf: file), maxDepth: 128))
        }
    }

    private static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let pick = generator.next() % (depth > 0 ? 8 : 5)
        switch pick {
        case 0: return .null
        case 1: return .bool(generator.next() & 1 == 0)
        case 2: return .number(Double(Int64(bitPattern: generator.next()) >> Int64(generator.next() % 64)))
        case 3: return .number(Double(bitPattern: generator.next() & ~(0x7FF << 52) | (UInt64(generator.next() % 0x7FE) << 52)))
        case 4: return .string(randomString(using: &generator))
        case 5: return .array((0..<Int(generator.next() % 5)).map { _ in randomValue(depth: depth - 1, using: &generator) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int(generator.next() % 6) { object[randomString(using: &generator)] = randomValue(depth: depth - 1, using: &generator) }
            return .object(object)
        }
    }

    private static let alphabet: [Unicode.Scalar] = ["a", "b", "Z", "0", "9", "/", "\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}",
                                                     "é", "\u{0301}", "\u{2028}", "\u{FF21}", "😀", " ", "@", "-"]

    private static func randomString(using generator: inout SeededGenerator) -> String {
        String(String.UnicodeScalarView((0..<Int(generator.next() % 8)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
    }
}
