import FixtureTesting
import Foundation
import SafeJSON
import Testing
import NpmModel

/// Bins are linked and locked as npm normalises them; the witness is npm's own
/// npm-normalize-package-bin, run by node (found by review: npm linked `../../evil.js` as
/// `evil.js` inside the package, where we skipped it).
@Suite struct NpmBinsTests {
    static let cases: [[String: String]] = [
        ["x": "../../evil.js", "a:b": "c.js", "c\\d": "e\\f.js", "..": "g.js", ".": "h.js", "": "i.js"],
        ["abs": "/usr/bin/env", "dots": "./bin/./cli.js", "up": "bin/../cli.js", "empty": "", "root": "/", "deep": "a/b/../../../c"],
        ["@scope/tool": "bin/tool.js", "dir/": "x.js", "tail": "bin/"],
    ]

    @Test func namesAndPathsNormaliseWithoutLeavingThePackage() {
        #expect(NpmBins.normalised(Self.cases[0]) == ["x": "evil.js", "b": "c.js", "d": "e/f.js"])
        #expect(NpmBins.normalised(Self.cases[1]) == ["abs": "usr/bin/env", "dots": "bin/cli.js", "up": "cli.js", "deep": "c"])
        #expect(NpmBins.fromArray(["cli/a.js", "b.js"]) == ["a.js": "cli/a.js", "b.js": "b.js"])
    }

    @Test(.requires(.npmModule("npm-normalize-package-bin")))
    func binsAreWhatNpmNormalises() async throws {
        let script = """
            const normalize = require(process.argv[2]);
            const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            console.log(JSON.stringify(cases.map(bin => normalize({ name: 'p', bin }).bin || {})));
            """
        let cases = JSONValue.array(Self.cases.map { .object($0.mapValues { .string($0) }) })
        let expected = try #require(try await NodeWitness.run(script, module: "npm-normalize-package-bin", cases: cases).arrayValue)
        #expect(expected.count == Self.cases.count)
        for (bins, npm) in zip(Self.cases, expected) {
            // npm keeps a trailing slash on a path; a link to it is the same link.
            let theirs = (npm.objectValue ?? [:]).compactMapValues { $0.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
            #expect(NpmBins.normalised(bins) == theirs, "\(bins)")
        }
    }
}
