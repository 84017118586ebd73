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

    /// npm 10 installs an entry named for another package with no resolved URL as that package's
    /// name and version (found by a re-attack: @mochi/compat's code served `@mochi/runtime@^1.0.0`):
    /// the alias rules hold as with a `resolved`, and a declared alias is verified as what it names.
    @Test func anAliasNamedEntryWithoutResolvedIsHeldToTheAliasRules() throws {
        let plain = #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"@mochi/runtime": "^1.0.0"}}, "node_modules/@mochi/runtime": {"name": "@mochi/compat", "version": "1.0.0", "integrity": "sha512-x"}}}"#
        #expect(throws: LockfileError.self) { try Self.kinds(plain) }
        let alias = #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"rt": "npm:@mochi/compat@^1.0.0"}}, "node_modules/rt": {"name": "@mochi/compat", "version": "1.0.0", "integrity": "sha512-x"}}}"#
        #expect(try Self.kinds(alias)["node_modules/rt"] == .registry)
        let versionless = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/zzz": {"resolved": "https://r.example/@mochi/compat/-/compat-1.0.0.tgz", "integrity": "sha512-x"}}}"#
        #expect(throws: LockfileError.self) { try Self.kinds(versionless) }
    }

    /// npm reads npm-shrinkwrap.json whenever it is there (found by a re-attack).
    @Test func aPackageLockBesideAShrinkwrapIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shrinkwrap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lock = Data((#"{"lockfileVersion": 3, "packages": {"": {}, "# + Self.entry + "}}").utf8)
        try lock.write(to: folder.appendingPathComponent("package-lock.json"))
        #expect(try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json")).packages.count == 1)
        try lock.write(to: folder.appendingPathComponent("npm-shrinkwrap.json"))
        #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json")) }
        #expect(try LockfileReader().read(contentsOf: folder.appendingPathComponent("npm-shrinkwrap.json")).packages.count == 1)
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
        try Data(#"{"name":"p","overrides":{"@mochi/example":{"@mochi/runtime":"github:attacker/evil"},"x":"^1","y":"$x"}}"#.utf8)
            .write(to: folder.appendingPathComponent("package.json"))
        let overridden = try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json"))
        #expect(overridden.packages.filter { $0.kind != .registry }.map(\.key) == ["package.json overrides.@mochi/example.@mochi/runtime"])
        try Data("{".utf8).write(to: folder.appendingPathComponent("package.json"))
        #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: folder.appendingPathComponent("package-lock.json")) }
    }
}

/// The same gaps in the other formats (found by a re-attack, from the managers' sources).
@Suite struct OtherFormatSpecsTests {
    static func kinds(_ text: String, _ file: String) throws -> [String: LockedPackage.Kind] {
        Dictionary(try LockfileReader().read(Data(text.utf8), fileName: file).packages.map { ($0.key, $0.kind) }) { a, _ in a }
    }

    static let runtime = """
        "@mochi/runtime@^1.0.0", "@mochi/runtime@file:./vendor/evil":
          version "1.0.0"
          resolved "https://registry.yarnpkg.com/@mochi/runtime/-/runtime-1.0.0.tgz"
          integrity sha512-x

        """

    @Test func aYarnBlockServingAFilePatternIsNotVerifiable() throws {
        let kinds = try Self.kinds("# yarn lockfile v1\n\n" + Self.runtime, "yarn.lock")
        guard case .notVerifiable(let why)? = kinds.values.first else { Issue.record("\(kinds)"); return }
        #expect(why.contains("file:./vendor/evil"))
    }

    @Test func aYarnNestedFileDependencyIsNotVerifiable() throws {
        let text = """
            # yarn lockfile v1

            "@mochi/example@1.0.0":
              version "1.0.0"
              resolved "https://registry.yarnpkg.com/@mochi/example/-/example-1.0.0.tgz"
              integrity sha512-y
              dependencies:
                "@mochi/runtime" "link:./vendor/evil"

            """
        guard case .notVerifiable? = try Self.kinds(text, "yarn.lock")["@mochi/example@1.0.0 → @mochi/runtime"] else { Issue.record("not listed"); return }
    }

    @Test func pnpmSnapshotLinksAndPatchedDependenciesAreNotVerifiable() throws {
        let text = """
            lockfileVersion: '9.0'
            patchedDependencies:
              '@mochi/runtime@1.0.0':
                hash: abcd
                path: patches/runtime.patch
            importers:
              .:
                dependencies:
                  '@mochi/example':
                    specifier: 1.0.0
                    version: 1.0.0
            packages:
              '@mochi/example@1.0.0':
                resolution: {integrity: sha512-y}
              '@mochi/runtime@1.0.0':
                resolution: {integrity: sha512-x}
            snapshots:
              '@mochi/example@1.0.0':
                dependencies:
                  '@mochi/other': link:vendor/evil
              '@mochi/runtime@1.0.0': {}

            """
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "pnpm-lock.yaml")
        #expect(lock.packages.contains { $0.name == "@mochi/runtime" && $0.kind != .registry })
        #expect(lock.packages.contains { $0.name == "@mochi/other" && $0.kind != .registry })
        #expect(lock.packages.contains { $0.name == "@mochi/example" && $0.kind == .registry })
    }

    /// pnpm 10 takes ranges as patchedDependencies keys: a key that is not an exact version marks
    /// every version of the name; an exact one only that version.
    @Test(arguments: [("'@mochi/runtime@^1.0.0'", true), ("'@mochi/runtime@1.x'", true), ("'@mochi/runtime@1.0.1'", false),
                      ("'@mochi/runtime@1.0.0'", true), ("'@mochi/runtime'", true), ("'@mochi/other@^1.0.0'", false)])
    func pnpmPatchedDependencyRangesMarkEveryVersionTheyMayName(_ key: String, _ patched: Bool) throws {
        let text = "lockfileVersion: '9.0'\npatchedDependencies:\n  \(key): patches/runtime.patch\n"
            + "packages:\n  '@mochi/runtime@1.0.0':\n    resolution: {integrity: sha512-x}\n"
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "pnpm-lock.yaml")
        #expect(lock.packages.contains { $0.name == "@mochi/runtime" && $0.kind != .registry } == patched, "\(key)")
    }

    @Test func bunPatchedDependenciesListThePatch() throws {
        let text = """
            {"lockfileVersion": 1, "workspaces": {"": {"name": "p", "dependencies": {"@mochi/runtime": "1.0.0"}}},
             "patchedDependencies": {"@mochi/runtime@1.0.0": "patches/runtime.patch"},
             "packages": {"@mochi/runtime": ["@mochi/runtime@1.0.0", "", {}, "sha512-x"]}}
            """
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "bun.lock")
        // The base is the registry's bytes Bun patches (verified); the patch is listed.
        #expect(lock.packages.map(\.key) == ["@mochi/runtime", "@mochi/runtime (patch)"])
        #expect(lock.packages.first?.kind == .registry && lock.packages.last?.kind != .registry)
    }
}
