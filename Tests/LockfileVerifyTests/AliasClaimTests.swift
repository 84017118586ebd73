import FixtureTesting
import Foundation
import LockfileFormats
import LockfileVerify
import SafeJSON
import Testing

/// An alias that only a registry package's lockfile entry declares is confirmed against that
/// package's registry manifest (found by a re-attack: an entry's own `dependencies` said
/// `@mochi/runtime: npm:@mochi/example@^1.0.0` on @mochi/example's behalf, its manifest says
/// `^1.0.0`, and `npm ci` installed @mochi/example's code as @mochi/runtime).
@Suite(.serialized) struct AliasClaimTests {
    static let claimed = "npm:@mochi/example@^1.0.0"

    func expectUnconfirmed(_ text: String, file: String, _ support: WorldSupport, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await support.verify(text, file: file, settings: try support.settings())
        #expect(report.exitCode == 1, "\(file): \(report.text())", sourceLocation: sourceLocation)
        let codes = report.failed.flatMap { $0.failures.map(\.code) }
        #expect(codes.contains(.aliasUnconfirmed), "\(file): \(report.text())", sourceLocation: sourceLocation)
    }

    @Test func lockfileOnlyAliasClaimsFailInEveryFormat() async throws {
        try await WorldSupport.with { support in
            let example = support.lockfiles.example
            let npm = support.lockfiles.npmV3
                .replacingOccurrences(of: "\"@mochi/runtime\": \"^1.0.0\"", with: "\"@mochi/runtime\": \"\(Self.claimed)\"")
                .replacingOccurrences(of: "\"node_modules/@mochi/runtime\": {\n      \"version\": \"\(support.lockfiles.runtime.version)\",\n      \"resolved\": \"\(support.lockfiles.runtime.tarball)\",\n      \"integrity\": \"\(support.lockfiles.runtime.integrity)\"",
                                      with: "\"node_modules/@mochi/runtime\": {\n      \"name\": \"@mochi/example\",\n      \"version\": \"\(example.version)\",\n      \"resolved\": \"\(example.tarball)\",\n      \"integrity\": \"\(example.integrity)\"")
            #expect(npm.contains("\"name\": \"@mochi/example\""), "the edit took")
            try await expectUnconfirmed(npm, file: "package-lock.json", support)
            // Where the dependent's registry manifest does declare the alias, the same lockfile verifies.
            let declaring: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                guard url.hasSuffix("/@mochi%2fexample") else { return (status, body) }
                return (status, TamperingTransport.editManifest(body, version: "1.1.0") { $0["dependencies"] = ["@mochi/runtime": .string(Self.claimed)] })
            }
            // (The aliased entry is @mochi/example@1.1.0 too, so it records the same, rewritten, dependencies.)
            let consistent = npm.replacingOccurrences(of: "\"integrity\": \"\(example.integrity)\"\n    }",
                                                      with: "\"integrity\": \"\(example.integrity)\",\n      \"dependencies\": {\"@mochi/runtime\": \"\(Self.claimed)\"}\n    }")
            #expect(consistent != npm)
            let confirmed = try await support.verify(consistent, file: "package-lock.json", settings: try support.settings(), rewrite: declaring)
            #expect(confirmed.exitCode == 0, "\(confirmed.text())")
            #expect(confirmed.results.contains { $0.package.installedAs == "@mochi/runtime" && $0.status == .verified })

            let bun = #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"@mochi/example": "^1.1.0"}}}, "packages": {"# +
                #""@mochi/example": ["@mochi/example@\#(example.version)", "", {"dependencies": {"@mochi/runtime": "\#(Self.claimed)"}}, "\#(example.integrity)"],"# +
                #""@mochi/runtime": ["@mochi/example@\#(example.version)", "", {}, "\#(example.integrity)"]}}"#
            try await expectUnconfirmed(bun, file: "bun.lock", support)

            let yarn = """
                "@mochi/example@^1.1.0":
                  version "\(example.version)"
                  resolved "\(example.tarball)"
                  integrity \(example.integrity)
                  dependencies:
                    "@mochi/runtime" "\(Self.claimed)"

                "@mochi/runtime@\(Self.claimed)":
                  version "\(example.version)"
                  resolved "\(example.tarball)"
                  integrity \(example.integrity)

                """
            try await expectUnconfirmed(yarn, file: "yarn.lock", support)

            let pnpm = Self.pnpmLock(example, runtime: "'@mochi/example@\(example.version)'")
            try await expectUnconfirmed(pnpm, file: "pnpm-lock.yaml", support)

            // Found by review: Berry builds the graph from each entry's stored dependencies too.
            let berry = support.lockfiles.berry
                .replacingOccurrences(of: "\"@mochi/runtime\": \"npm:^1.0.0\"", with: "\"@mochi/runtime\": \"\(Self.claimed)\"")
                .replacingOccurrences(of: "\"@mochi/runtime@npm:^1.0.0\":\n  version: \(support.lockfiles.runtime.version)\n  resolution: \"@mochi/runtime@npm:\(support.lockfiles.runtime.version)\"",
                                      with: "\"@mochi/runtime@\(Self.claimed)\":\n  version: \(example.version)\n  resolution: \"@mochi/example@npm:\(example.version)\"")
            #expect(berry.contains("\"@mochi/runtime@\(Self.claimed)\":"), "the edit took")
            try await expectUnconfirmed(berry, file: "yarn.lock", support)
        }
    }

    /// A v9 pnpm lockfile of the project asking for @mochi/example, whose snapshot links
    /// @mochi/runtime to `runtime`, with more `packages` and `snapshots` entries.
    static func pnpmLock(_ example: WorldLockfiles.Locked, runtime: String, packages: String = "", snapshots: String = "") -> String {
        """
        lockfileVersion: '9.0'
        importers:
          .:
            dependencies:
              '@mochi/example': {specifier: ^1.1.0, version: \(example.version)}
        packages:
          '@mochi/example@\(example.version)':
            resolution: {integrity: \(example.integrity)}
        \(packages)snapshots:
          '@mochi/example@\(example.version)':
            dependencies:
              '@mochi/runtime': \(runtime)
        \(snapshots)
        """
    }

    /// Found by review: pnpm follows a registry package's snapshot to a tarball, git or folder
    /// package whatever range its manifest declares; such a link is confirmed against the manifest.
    @Test func aSnapshotLinkingARegistryRangeToATarballFails() async throws {
        try await WorldSupport.with { support in
            let example = support.lockfiles.example
            let evil = "https://evil.example/runtime-1.2.0.tgz"
            let pnpm = Self.pnpmLock(example, runtime: "'\(evil)'", packages: "  '@mochi/runtime@\(evil)':\n    resolution: {tarball: '\(evil)'}\n    version: 1.2.0\n",
                                     snapshots: "  '@mochi/runtime@\(evil)': {}\n")
            let report = try await support.verify(pnpm, file: "pnpm-lock.yaml", settings: try support.settings())
            #expect(report.exitCode == 1, "\(report.text())")
            let failure = report.failed.flatMap(\.failures).first { $0.code == .sourceUnconfirmed }
            #expect(failure?.message.contains("whose registry manifest declares @mochi/runtime as ^1.0.0") == true, "\(report.text())")
            // Where the manifest does ask for that tarball, the link is the package's own choice.
            let declaring: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                guard url.hasSuffix("/@mochi%2fexample") else { return (status, body) }
                return (status, TamperingTransport.editManifest(body, version: "1.1.0") { $0["dependencies"] = ["@mochi/runtime": .string(evil)] })
            }
            let confirmed = try await support.verify(pnpm, file: "pnpm-lock.yaml", settings: try support.settings(), rewrite: declaring)
            #expect(!confirmed.failed.flatMap(\.failures).contains { $0.code == .sourceUnconfirmed }, "\(confirmed.text())")
            // Found by a re-attack: pnpm symlinks a registry package's `link:` dependency to any folder.
            let linked = try await support.verify(Self.pnpmLock(example, runtime: "link:vendor/evil"), file: "pnpm-lock.yaml", settings: try support.settings())
            #expect(linked.failed.flatMap(\.failures).contains { $0.code == .sourceUnconfirmed }, "\(linked.text())")
        }
    }

    /// Found by a re-attack: deleting a registry entry's edge hid the plain edge that refuses an
    /// alias, and npm builds the tree from the lockfile's edges. An entry's dependencies must be
    /// its registry manifest's, in every format that records them.
    @Test func anEntryWhoseDependenciesAreNotItsManifestsFails() async throws {
        try await WorldSupport.with { support in
            let edge = "\"@mochi/runtime\": \"^1.0.0\""
            let cases = [("package-lock.json", support.lockfiles.npmV3, "\"dependencies\": {\n        \(edge)\n      }", "\"dependencies\": {}"),
                         ("package-lock.json", support.lockfiles.npmV3, edge, "\"@mochi/runtime\": \"^1.2.0\""),
                         ("yarn.lock", support.lockfiles.yarnV1, "\"@mochi/runtime\" \"^1.0.0\"", "\"@mochi/other\" \"^1.0.0\""),
                         // Found by review: pnpm's snapshots and Berry's entries are what those managers link.
                         ("pnpm-lock.yaml", support.lockfiles.pnpmV9, "'@mochi/runtime': \(support.lockfiles.runtime.version)\n", "'@mochi/runtime': \(support.lockfiles.runtime.version)\n      '@mochi/compat': 1.1.0\n"),
                         ("pnpm-lock.yaml", support.lockfiles.pnpmV9, "'@mochi/runtime': \(support.lockfiles.runtime.version)\n", "'@mochi/runtime': 0.9.0\n"),
                         ("pnpm-lock.yaml", support.lockfiles.pnpmV9, "'@mochi/runtime': \(support.lockfiles.runtime.version)\n", "'@mochi/runtime': '@mochi/runtime@0.9.0'\n"),
                         ("yarn.lock", support.lockfiles.berry, "\"@mochi/runtime\": \"npm:^1.0.0\"\n  checksum", "\"@mochi/runtime\": \"npm:^1.0.0\"\n    \"@mochi/compat\": \"npm:^1.0.0\"\n  checksum"),
                         ("yarn.lock", support.lockfiles.berry, "\"@mochi/runtime\": \"npm:^1.0.0\"\n  checksum", "\"@mochi/runtime\": \"npm:0.9.0\"\n  checksum")]
            for (file, text, from, to) in cases {
                let edited = text.replacingOccurrences(of: from, with: to)
                #expect(edited != text, "\(file): the edit took")
                let report = try await support.verify(edited, file: file, settings: try support.settings())
                #expect(report.failed.first { $0.package.name == "@mochi/example" }?.failures.map(\.code).contains(.dependenciesDiffer) == true,
                        "\(file) \(to): \(report.text())")
            }
        }
    }

    /// One yarn block serving a plain descriptor and an alias of another package is refused; a v1
    /// package-lock alias under a plain package.json spec is refused like a v2/v3 one.
    @Test func aliasesMixedWithPlainSpecsAreRefused() throws {
        let yarn = """
            "rt@npm:real@^1.0.0", "rt@^1.0.0":
              version "1.1.0"
              resolved "https://registry.npmjs.org/real/-/real-1.1.0.tgz"
              integrity sha512-AAAA

            """
        #expect(throws: LockfileError.self) { try LockfileReader().read(Data(yarn.utf8), fileName: "yarn.lock") }
        let v1 = #"{"lockfileVersion": 1, "dependencies": {"rt": {"version": "npm:real@1.1.0", "resolved": "https://registry.npmjs.org/real/-/real-1.1.0.tgz", "integrity": "sha512-AAAA"}}}"#
        let plain = try JSONValue.parse(Data(#"{"dependencies": {"rt": "^1.0.0"}}"#.utf8))
        #expect(throws: LockfileError.self) { try LockfileReader().read(Data(v1.utf8), fileName: "package-lock.json", project: plain) }
        let declared = try JSONValue.parse(Data(#"{"dependencies": {"rt": "npm:real@^1.1.0"}}"#.utf8))
        let lock = try LockfileReader().read(Data(v1.utf8), fileName: "package-lock.json", project: declared)
        #expect(lock.packages.first?.installedAs == "rt" && lock.packages.first?.kind == .registry)
    }
}
