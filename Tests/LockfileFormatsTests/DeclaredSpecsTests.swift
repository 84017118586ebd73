import Foundation
@testable import LockfileFormats
import Testing

/// npm builds its tree from the specs entries declare, so a non-registry spec is listed as not
/// verifiable, and a field npm would paste into a spec whatever its type must be a string (both
/// found by a re-attack: `npm ci` installed a git repository for lockfiles whose entries verified).
@Suite struct DeclaredSpecsTests {
    static let entry = #""node_modules/@mochi/runtime": {"version": "1.0.0", "resolved": "https://r.example/@mochi/runtime/-/runtime-1.0.0.tgz", "integrity": "sha512-x"}"#

    static func kinds(_ text: String) throws -> [String: LockedPackage.Kind] {
        Dictionary(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.map { ($0.key, $0.kind) }) { a, _ in a }
    }

    @Test(arguments: [
        (#""node_modules/@mochi/example": {"version": "1.0.0", "resolved": "https://r.example/e.tgz/-/x", "integrity": "sha512-y", "dependencies": {"@mochi/runtime": "git+file:///tmp/evil.git"}}"#, "node_modules/@mochi/example → @mochi/runtime"),
        (#""node_modules/@mochi/example": {"version": "1.0.0", "resolved": "https://r.example/e/-/e.tgz", "integrity": "sha512-y", "optionalDependencies": {"@mochi/runtime": "http://127.0.0.1:1/mochi-runtime-1.0.0.tgz"}}"#, "node_modules/@mochi/example → @mochi/runtime"),
        (#""": {"dependencies": {"@mochi/runtime": "file:./vendor/evil"}}"#, "package-lock.json root → @mochi/runtime"),
        (#""": {"devDependencies": {"@mochi/runtime": "github:attacker/evil"}}"#, "package-lock.json root → @mochi/runtime"),
        (#""": {"dependencies": {"@mochi/runtime": "npm:@mochi/runtime@git+ssh://git@evil.example/x.git"}}"#, "package-lock.json root → @mochi/runtime"),
    ])
    func aNonRegistrySpecIsNotVerifiable(extra: String, key: String) throws {
        let kinds = try Self.kinds(#"{"lockfileVersion": 3, "packages": {"#
            + (extra.hasPrefix(#"""""#) ? extra : #""": {}, "# + extra) + ", " + Self.entry + "}}")
        guard case .notVerifiable(let why)? = kinds[key] else { Issue.record("no not-verifiable item \(key): \(kinds)"); return }
        #expect(why.contains("npm installs it from there"))
        #expect(kinds["node_modules/@mochi/runtime"] == .registry)
    }

    @Test(arguments: ["^1.0.0", "1.0.0", "latest", "npm:@mochi/runtime@^1.0.0", "npm:other", ">=1 <2 || 3.x", "*", ""])
    func registrySpecsAreNotListed(spec: String) throws {
        let kinds = try Self.kinds(#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"@mochi/runtime": "\#(spec)"}}, "# + Self.entry + "}}")
        #expect(kinds.count == 1)
    }

    @Test(arguments: [#""resolved": ["git+file:///tmp/evil.git"]"#, #""name": ["@mochi/runtime@git+file:///tmp/evil"]"#,
                      #""version": 1"#, #""integrity": {"a": 1}"#, #""dependencies": {"x": 1}"#, #""dependencies": ["x"]"#])
    func fieldsNpmPastesIntoSpecsMustBeStrings(field: String) {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/@mochi/runtime": {"version": "1.0.0", "integrity": "sha512-x", "# + field + "}}}"
        #expect(throws: LockfileError.self) { try Self.kinds(text) }
    }

    @Test func aVersionOneRequiresMapIsRead() throws {
        let text = #"{"lockfileVersion": 1, "dependencies": {"@mochi/example": {"version": "1.0.0", "resolved": "https://r.example/e/-/e.tgz", "integrity": "sha512-y", "requires": {"@mochi/runtime": "github:attacker/evil"}}}}"#
        guard case .notVerifiable? = try Self.kinds(text)["node_modules/@mochi/example → @mochi/runtime"] else { Issue.record("not listed"); return }
    }

    /// The package.json beside the lockfile is what every manager resolves first.
    @Test func thePackageJSONBesideTheLockfileIsRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"name":"p","dependencies":{"@mochi/runtime":"git+file:///tmp/evil.git"}}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
        try Data((#"{"lockfileVersion": 3, "packages": {"": {}, "# + Self.entry + "}}").utf8).write(to: folder.appendingPathComponent("package-lock.json"))
        let lock = try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json"))
        guard case .notVerifiable? = lock.packages.first(where: { $0.key == "package.json → @mochi/runtime" })?.kind else {
            Issue.record("package.json's git spec is not listed: \(lock.packages.map(\.key))"); return
        }
        try Data("{".utf8).write(to: folder.appendingPathComponent("package.json"))
        #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json")) }
    }
}
