import Foundation
import LockfileFormats
import SafeJSON
import Testing

/// An entry named for another package than its folder is an npm alias only when every edge that
/// reaches it says `npm:<its name>@…`. npm checks only the version against an edge's range, so a
/// swapped-in package under a plain range would be installed as the package asked for (found by
/// review: verify-lockfile passed `node_modules/@mochi/runtime` holding `@mochi/example`).
@Suite struct AliasEdgeTests {
    static let swapped = #""node_modules/@m/runtime": {"name": "@m/example", "version": "1.1.0", "resolved": "https://registry.npmjs.org/@m/example/-/example-1.1.0.tgz", "integrity": "sha512-AAAA"}"#

    func read(root: String, extra: String = "", project: String? = nil) throws -> ParsedLockfile {
        let text = #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {\#(root)}}, \#(Self.swapped)\#(extra)}}"#
        return try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json",
                                         project: try project.map { try JSONValue.parse(Data($0.utf8)) })
    }

    @Test func aPlainRangeReachingAnotherPackageIsRefused() {
        let error = #expect(throws: (any Error).self) { try read(root: #""@m/runtime": "^1.0.0""#) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("the root asks for it as @m/runtime@^1.0.0 (dependencies), not as an npm:@m/example alias"))
    }

    @Test func anAliasDeclaredByEveryEdgeIsVerifiedAsItsRealPackage() throws {
        let lock = try read(root: #""@m/runtime": "npm:@m/example@^1.1.0""#)
        let entry = try #require(lock.packages.first { $0.key == "node_modules/@m/runtime" })
        #expect(entry.kind == .registry && entry.name == "@m/example" && entry.installedAs == "@m/runtime")
    }

    @Test func oneDependentAskingPlainlyIsEnoughToRefuse() {
        // The root declares the alias; a nested entry reaching the same folder asks for the folder's name.
        let nested = #", "node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-BBBB", "dependencies": {"@m/runtime": "^1.0.0"}}"#
        #expect(throws: (any Error).self) { try read(root: #""@m/runtime": "npm:@m/example@^1.1.0", "a": "^1.0.0""#, extra: nested) }
        // package.json beside the lockfile is the root npm resolves, whatever the lockfile's root says.
        #expect(throws: (any Error).self) {
            try read(root: #""@m/runtime": "npm:@m/example@^1.1.0""#, project: #"{"dependencies": {"@m/runtime": "^1.0.0"}}"#)
        }
    }

    @Test func anEntryNoEdgeDeclaresAsAnAliasIsNotVerifiable() throws {
        let lock = try read(root: "")
        let entry = try #require(lock.packages.first { $0.key == "node_modules/@m/runtime" })
        #expect(entry.kind == .notVerifiable("named @m/example but installed as @m/runtime, and no dependency declares it as an npm:@m/example alias"))
    }

    /// Bun's keyed tree by the same rule: `rt` holding `@m/runtime` must be declared `npm:@m/runtime`.
    @Test func bunEntriesNamedForAnotherPackageNeedAnAliasDeclaration() throws {
        func bun(_ spec: String) -> String {
            #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"rt": "\#(spec)"}}}, "packages": {"rt": ["@m/runtime@1.2.0", "", {}, "sha512-AAAA"]}}"#
        }
        #expect(throws: (any Error).self) { try LockfileReader().read(Data(bun("^1.0.0").utf8), fileName: "bun.lock") }
        let lock = try LockfileReader().read(Data(bun("npm:@m/runtime@^1.2.0").utf8), fileName: "bun.lock")
        #expect(lock.packages.first?.installedAs == "rt" && lock.packages.first?.name == "@m/runtime")
        let nested = #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "^1"}}}, "packages": {"a": ["a@1.0.0", "", {"dependencies": {"rt": "^1"}}, "sha512-BBBB"], "a/rt": ["@m/runtime@1.2.0", "", {}, "sha512-AAAA"]}}"#
        #expect(throws: (any Error).self) { try LockfileReader().read(Data(nested.utf8), fileName: "bun.lock") }
    }

    /// pnpm: an importer's dependency resolved to another package must be declared as its alias.
    @Test func pnpmImportersResolvingToAnotherPackageNeedAnAliasSpecifier() throws {
        func pnpm(_ specifier: String) -> String {
            """
            lockfileVersion: '9.0'
            importers:
              .:
                dependencies:
                  rt:
                    specifier: \(specifier)
                    version: '@m/example@1.1.0'
            packages:
              '@m/example@1.1.0':
                resolution: {integrity: sha512-AAAA}
            snapshots:
              '@m/example@1.1.0': {}
            """
        }
        let error = #expect(throws: (any Error).self) { try LockfileReader().read(Data(pnpm("^1.0.0").utf8), fileName: "pnpm-lock.yaml") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("not as an npm:@m/example alias"))
        let lock = try LockfileReader().read(Data(pnpm("npm:@m/example@^1.1.0").utf8), fileName: "pnpm-lock.yaml")
        #expect(lock.packages.map(\.id) == ["@m/example@1.1.0"])
    }
}
