import Foundation
import SafeJSON
import Testing
@testable import TUF

/// Path patterns and hash bins, with expectations computed by python-tuf 7.0
/// (`DelegatedRole.is_delegated_path`, `SuccinctRoles.get_role_for_target`).
@Suite struct DelegationTests {
    @Test(arguments: [
        ("targets/*.tgz", "targets/foo.tgz", true), ("targets/*.tgz", "targets/foo.txt", false),
        ("foo-version-?.tgz", "foo-version-2.tgz", true), ("foo-version-?.tgz", "foo-version-alpha.tgz", false),
        ("*.tgz", "foo.tgz", true), ("*.tgz", "targets/foo.tgz", false), ("foo.tgz", "foo.tgz", true),
        ("releases/*/*", "releases/README.md", false), ("*.md", "README.MD", false),
        ("[!a-c]x/*", "dx/q", true), ("[!a-c]x/*", "ax/q", false), ("[]]y", "]y", true), ("z[", "z[", true),
        ("*", "a/b", false), ("*", "", true), ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false),
    ])
    func pathPatterns(pattern: String, path: String, expected: Bool) {
        #expect(PathPattern.matches(path: path, pattern: pattern) == expected)
    }

    func succinct(_ bits: Int) throws -> SuccinctRoles {
        let json = try JSONValueFixture.object(["keyids": [], "threshold": 1, "bit_length": bits, "name_prefix": "bin"])
        return try SuccinctRoles(Fields(json, role: "targets", context: "succinct_roles"))
    }

    @Test(arguments: [
        (1, ["bin-0", "bin-1", "bin-1"]), (5, ["bin-05", "bin-18", "bin-1c"]), (8, ["bin-2c", "bin-c7", "bin-e3"]),
        (13, ["bin-0584", "bin-18f7", "bin-1c76"]), (32, ["bin-2c26b46b", "bin-c7ba2e9f", "bin-e3b0c442"]),
    ])
    func hashBins(bits: Int, expected: [String]) throws {
        let roles = try succinct(bits)
        #expect(["foo", "a/b/c.txt", ""].map { roles.role(for: $0) } == expected)
        #expect(expected.allSatisfy(roles.contains))
        if bits == 5 { #expect(roles.contains("bin-1f") && !roles.contains("bin-20") && !roles.contains("bin-5")) }
    }
}

/// Builds SafeJSON values from Swift literals for parser-level tests.
enum JSONValueFixture {
    static func object(_ object: [String: Any]) throws -> JSONValue {
        try JSONValue.parse(JSONSerialization.data(withJSONObject: object))
    }
}
