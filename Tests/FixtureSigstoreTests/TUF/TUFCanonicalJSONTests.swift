import FixtureTesting
import Foundation
import SafeJSON
import Testing

@testable import FixtureSigstore
@testable import FixtureTUF

@Suite struct TUFCanonicalJSONTests {
    static let vectors: [(JSONValue, String)] = [
        (["b": 1, "a": [true, nil, "x"]], #"{"a":[true,null,"x"],"b":1}"#),
        (["_type": "root", "Z": 0, "a": -12], #"{"Z":0,"_type":"root","a":-12}"#),
        (.string("a\nb\"c\\d\te/"), "\"a\nb\\\"c\\\\d\te/\""),
        ([:], "{}"),
        ([], "[]"),
        (["nested": ["y": ["k": false], "x": 9_007_199_254_740_991]], #"{"nested":{"x":9007199254740991,"y":{"k":false}}}"#),
        // JavaScript sorts by UTF-16 code units: U+1F600 (0xD83D 0xDE00) sorts before U+E000.
        (["\u{E000}": 1, "\u{1F600}": 2], "{\"\u{1F600}\":2,\"\u{E000}\":1}"),
    ]

    @Test(arguments: vectors.indices)
    func knownAnswer(_ index: Int) throws {
        let (value, expected) = Self.vectors[index]
        #expect(String(decoding: try TUFCanonicalJSON.encode(value), as: UTF8.self) == expected)
    }

    @Test func refusesFloats() {
        #expect(throws: TUFCanonicalJSON.NotCanonical.self) { try TUFCanonicalJSON.encode(["length": .number(1.5)]) }
        #expect(throws: TUFCanonicalJSON.NotCanonical.self) { try TUFCanonicalJSON.encode([.number(1e300)]) }
    }

    /// The same bytes as npm's own `@tufjs/canonical-json` for a document with a PEM key.
    @Test func matchesNpmsCanonicalJSON() async throws {
        guard let node = ProcessRunner.which("node"), let npmRoot = TUFTestSupport.npmGlobalRoot() else {
            Issue.record("node/npm not installed; this machine is expected to have npm 10.8.2")
            return
        }
        let key = TUFSigningKey.generate(.p256)
        let document: JSONValue = ["signed": ["keys": ["k": key.publicKeyJSON], "é": "ü\u{1F600}", "n": 3, "list": [nil, true]]]
        let input = try document.serialized()
        let script = """
        const c = require(process.argv[1] + '/npm/node_modules/@tufjs/canonical-json');
        const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        process.stdout.write(c.canonicalize(data));
        """
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let inputFile = dir.appendingPathComponent("in.json")
        try input.write(to: inputFile)
        let result = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                                 ["-c", "\"$0\" -e \"$1\" \"$2\" < \"$3\"", node.path, script, npmRoot, inputFile.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == String(decoding: try TUFCanonicalJSON.encode(document), as: UTF8.self))
    }
}
