import Foundation
import SafeJSON
import Testing
import TUF

/// Vectors produced by securesystemslib's `encode_canonical` (the reference TUF signers use).
@Suite struct CanonicalJSONTests {
    static let vectors: [(input: String, canonical: [UInt8])] = [
        (#"{ "b": 1, "a": [true, false, null, "x\"y\\z"] }"#, Array(#"{"a":[true,false,null,"x\"y\\z"],"b":1}"#.utf8)),
        (#"{"é": "ü\n\t/", "B": -7, "_": {}, "a": []}"#,
         Array(#"{"B":-7,"_":{},"a":[],""#.utf8) + [0xC3, 0xA9] + Array(#"":""#.utf8) + [0xC3, 0xBC, 0x0A, 0x09]
            + Array(#"/"}"#.utf8)),
        (#"{"z": {"y": [1, {"c": 0, "A": "q"}]}}"#, Array(#"{"z":{"y":[1,{"A":"q","c":0}]}}"#.utf8)),
        (#""\u2028 \u0001""#, [0x22, 0xE2, 0x80, 0xA8, 0x20, 0x01, 0x22]),
    ]

    @Test(arguments: 0..<vectors.count)
    func matchesSecuresystemslib(index: Int) throws {
        let vector = Self.vectors[index]
        let value = try JSONValue.parse(Data(vector.input.utf8))
        #expect(try CanonicalJSON.encode(value) == vector.canonical)
    }

    @Test func refusesFractions() throws {
        let value = try JSONValue.parse(Data(#"{"a": 1.5}"#.utf8))
        #expect(throws: CanonicalJSON.Unrepresentable.self) { try CanonicalJSON.encode(value) }
    }

    @Test func integersBeyondDoublePrecisionAreRefused() throws {
        let value = try JSONValue.parse(Data("[18014398509481985]".utf8))
        #expect(throws: CanonicalJSON.Unrepresentable.self) { try CanonicalJSON.encode(value) }
    }

    /// Signatures cover the re-serialised canonical bytes, so reformatting the file keeps them valid.
    @Test func realRootSignaturesCoverCanonicalBytes() throws {
        let data = try Data(contentsOf: Paths.sigstore.appendingPathComponent("metadata/12.root.json"))
        let pretty = try JSONValue.parse(data).serialized(pretty: true)
        #expect(pretty != data)
        let trusted = try TrustedMetadata(rootData: pretty, referenceTime: date("2025-02-09T12:02:08Z"))
        #expect(trusted.root.version == 12)
    }
}
