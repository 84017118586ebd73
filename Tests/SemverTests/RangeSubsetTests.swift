import FixtureTesting
import Foundation
import SafeJSON
import Semver
import Testing

/// `VersionRange.isSubset(of:)` against npm's own node-semver `subset` (the rule npm's install
/// uses to save `^version` rather than the range it was given).
@Suite struct RangeSubsetTests {
    static let pairs: [(String, String)] = [
        ("^1.1.0", "1"), ("^1.1.0", ">=1.0.0"), ("^1.1.0", "^1"), ("^1.1.0", "~1.1"), ("~1.1.0", "~1.1"), ("1.1.0", "^1"),
        ("1.1.0", "~1.1"), ("^1.1.0", "1.x || 2.x"), ("^1.1.0", "<1.5.0"), ("^1.1.0", ">1.1.0"), ("^1.1.0", ">=1.1.0 <2.0.0"),
        ("^1.1.0", "1.1.0 - 1.9.9"), ("^1.1.0", "*"), ("*", "^1.1.0"), ("^0.1.2", "0.1"), ("^0.0.3", "0.0.3"), ("^2.0.0-beta.1", "^2.0.0-beta"),
        ("^2.0.0-beta.1", ">=2.0.0-beta.0"), ("^2.0.0-beta.1", "2"), ("2.0.0-beta.1", "2.0.0-beta.1 || 3"), ("~1.2.3", "1.2"),
        ("^1.2.3", "1.2.3 || >=1.2.4 <2.0.0"), ("^1.0.0", ">=1.0.0 <1.0.0"), ("1.0.0", "=1.0.0"), ("^1.1.0", ">=1.1.0-0"),
        ("^1.1.0", "<=2.0.0"), ("~1.1.0", ">1.0.0 <=1.1.5"), ("^1.1.0", "x"), ("<1.0.0", "<2.0.0"), (">=3.0.0", ">=2.0.0"),
    ]

    @Test(.requires(.npmModule("semver"))) func agreesWithNodeSemver() async throws {
        let script = """
            const subset = require(require('path').join(process.argv[2], 'ranges/subset.js'));
            const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
            console.log(JSON.stringify(cases.map(([a, b]) => subset(a, b, { loose: true }))));
            """
        let cases = JSONValue.array(Self.pairs.map { .array([.string($0.0), .string($0.1)]) })
        let expected = try #require(try await NodeWitness.run(script, module: "semver", cases: cases).arrayValue)
        #expect(expected.count == Self.pairs.count)
        for ((sub, dom), npm) in zip(Self.pairs, expected) {
            let ours = try VersionRange(sub, loose: true).isSubset(of: try VersionRange(dom, loose: true))
            #expect(ours == npm.boolValue, "subset(\(sub), \(dom))")
        }
    }
}
