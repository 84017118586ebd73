import FixtureTesting
import Foundation
import NpmModel
import SafeJSON
import Testing

/// `.npmrc` is read as npm's own `ini` package reads it; the witness is that package, run by node.
@Suite struct IniTextTests {
    static let cases = [
        "a=1\nb = two \n", "[\u{301}x]\nscope=after\n", "  [x]\nk=v\n", "[a]b]\nk=v\n",
        "\"q\"=\"va\\u0041l\"\n'p' = 'x;y'\n", "v=a;b\nw=a\\;b#c\nz=a\\\\b\n", "bare\n; c=1\n  # d=2\n",
        "k=x\u{2028}y\nm=\u{a0}spaced\u{a0}\n", "k=first\nk=second\n", "arr[]=1\n", "n='12'\nt=true\n", "=novalue\n", "e=\n",
        "[sec]   \nafter=1\n", "pnpmfile=\u{301}hooks.cjs\n", "\"pnpmfile\"=hooks.cjs\r\n'x'='y'\r\n",
    ]

    @Test(.requires(.npmModule("ini")))
    func topLevelSettingsAreWhatNpmsIniReads() async throws {
        let script = """
            const ini = require(process.argv[2]);
            const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            console.log(JSON.stringify(cases.map(text => Object.entries(ini.decode(text))
              .filter(([k, v]) => typeof v !== 'object' || v === null).map(([k, v]) => [k, String(v)]))));
            """
        let expected = try #require(try await NodeWitness.run(script, module: "ini", cases: .array(Self.cases.map { .string($0) })).arrayValue)
        #expect(expected.count == Self.cases.count)
        for (text, npm) in zip(Self.cases, expected) {
            // A repeated key keeps its first place and takes the last value, as a JavaScript object does.
            var ours: [[[UInt8]]] = []
            for (key, value) in IniText.topLevel(text) {
                let pair = [Array(key.utf8), Array(value.utf8)]
                if let index = ours.firstIndex(where: { $0[0] == pair[0] }) { ours[index] = pair } else { ours.append(pair) }
            }
            let theirs = (npm.arrayValue ?? []).map { entry in (entry.arrayValue ?? []).map { Array(($0.stringValue ?? "?").utf8) } }
            #expect(ours == theirs, "\(text.debugDescription)")
        }
    }
}
