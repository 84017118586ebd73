import FixtureTesting
import Foundation
import LockfileFormats
import Testing

/// Only the project's own package.json files say that it asks for a git, file, URL or linked
/// source; the lockfile's word never does (found by a re-attack of the disguised-source rule).
@Suite struct ProjectEdgeTests {
    static let evil = #""node_modules/@mochi/runtime": {"version": "1.2.0", "resolved": "file:evil.tgz", "integrity": "sha512-x"}"#

    static func read(_ files: [String: String], lockfile: String) throws -> ParsedLockfile {
        try withScratch("project-edges") { folder in
            for (path, text) in files {
                let file = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
            return try LockfileReader().read(contentsOf: folder.appendingPathComponent(lockfile))
        }
    }

    static func npm(_ packageJSON: String, _ entries: String) throws -> ParsedLockfile {
        try read(["package.json": packageJSON, "package-lock.json": #"{"lockfileVersion": 3, "packages": {"": {}, \#(entries)}}"#], lockfile: "package-lock.json")
    }

    @Test func aMadeUpFolderKeyExcusesNothing() {
        #expect(throws: LockfileError.self) {
            try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, #""x": {"dependencies": {"@mochi/runtime": "file:evil.tgz"}}, \#(Self.evil)"#)
        }
    }

    @Test func aPeerSpecNpmReplacesExcusesNothing() {
        #expect(throws: LockfileError.self) {
            try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.2.0"}, "peerDependencies": {"@mochi/runtime": "file:evil.tgz"}}"#, Self.evil)
        }
    }

    @Test func aLinkServesARegistryRangeOnlyAsADeclaredWorkspace() throws {
        let link = #""node_modules/@mochi/runtime": {"resolved": "vendor/rt", "link": true}, "vendor/rt": {"name": "@mochi/runtime", "version": "1.2.0"}"#
        #expect(throws: LockfileError.self) { try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, link) }
        let workspace = try Self.read([
            "package.json": #"{"workspaces": ["packages/*"], "dependencies": {"w": "^1.0.0"}}"#,
            "packages/w/package.json": #"{"name": "w", "version": "1.0.0"}"#,
            "package-lock.json": #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/w": {"resolved": "packages/w", "link": true}, "packages/w": {"version": "1.0.0"}}}"#,
        ], lockfile: "package-lock.json")
        #expect(workspace.packages.contains { $0.key == "node_modules/w" })
    }

    /// Real layouts that must still verify: an override to a source, and a registry whose tarballs
    /// are not under npm's `/-/` (GitHub Packages), judged as the registry's version.
    @Test func overridesAndOffRegistryTarballsAreNotRefused() throws {
        let overridden = try Self.npm(#"{"dependencies": {"@mochi/example": "1.1.0"}, "overrides": {"@mochi/runtime": "file:evil.tgz"}}"#,
                                      #""node_modules/@mochi/example": {"version": "1.1.0", "resolved": "https://r.example/@mochi/example/-/example-1.1.0.tgz", "integrity": "sha512-x", "dependencies": {"@mochi/runtime": "^1.0.0"}}, \#(Self.evil)"#)
        #expect(overridden.packages.contains { $0.key == "node_modules/@mochi/runtime" })
        let github = try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#,
                                  #""node_modules/@mochi/runtime": {"version": "1.2.0", "resolved": "https://npm.pkg.github.com/download/@mochi/runtime/1.2.0/abc", "integrity": "sha512-x"}"#)
        #expect(github.packages.first { $0.key == "node_modules/@mochi/runtime" }?.kind == .registry)
    }

    @Test func aYarnDescriptorThePackageJSONDoesNotAskForExcusesNothing() throws {
        let lock = "# yarn lockfile v1\n\n\n\"@mochi/runtime@^1.2.0\", \"@mochi/runtime@file:./unused\":\n  version \"1.2.0\"\n  resolved \"http://127.0.0.1:9/evil.tgz\"\n"
        #expect(throws: LockfileError.self) {
            try Self.read(["package.json": #"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, "yarn.lock": lock], lockfile: "yarn.lock")
        }
        let asked = try Self.read(["package.json": #"{"dependencies": {"@mochi/runtime": "^1.2.0"}, "devDependencies": {"@mochi/runtime": "file:./unused"}}"#, "yarn.lock": lock], lockfile: "yarn.lock")
        #expect(asked.packages.contains { $0.name == "@mochi/runtime" })
    }

    @Test func aBunWorkspaceNoPackageJSONDeclaresExcusesNothing() {
        let lock = #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"@mochi/runtime": "^1.2.0"}}, "packages/fake": {"name": "fake", "dependencies": {"@mochi/runtime": "file:x"}}}, "packages": {"@mochi/runtime": ["@mochi/runtime@http://127.0.0.1:9/evil.tgz", {}]}}"#
        #expect(throws: LockfileError.self) {
            try Self.read(["package.json": #"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, "bun.lock": lock], lockfile: "bun.lock")
        }
    }

    /// Found by a re-attack: npm fetches an `inBundle` entry its bundler's tarball lacks (or whose
    /// bundler is the root) from `resolved`, so the flag excuses nothing.
    @Test func inBundleExcusesNothing() {
        let bundled = #""node_modules/@mochi/runtime": {"version": "1.2.0", "resolved": "file:evil.tgz", "integrity": "sha512-x", "inBundle": true}"#
        #expect(throws: LockfileError.self) { try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, bundled) }
    }

    /// Found by a re-attack: arborist reads every link target's package.json from disk, so a
    /// `file:` folder's registry range reaches entries like any other edge.
    @Test func aLinkedFoldersOwnRangesReachEntries() {
        #expect(throws: LockfileError.self) {
            try Self.read([
                "package.json": #"{"dependencies": {"x": "file:vendor/x"}}"#,
                "vendor/x/package.json": #"{"name": "x", "version": "1.0.0", "dependencies": {"@mochi/runtime": "^1.0.0"}}"#,
                "package-lock.json": #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/x": {"resolved": "vendor/x", "link": true}, "vendor/x": {"name": "x", "version": "1.0.0", "dependencies": {"@mochi/runtime": "file:evil.tgz"}}, \#(Self.evil)}}"#,
            ], lockfile: "package-lock.json")
        }
    }

    /// Found by a re-attack: a link written `vendor/./x` reaches the folder `vendor/x` to npm.
    @Test func aLinkTargetIsComparedAsAResolvedPath() {
        #expect(throws: LockfileError.self) {
            try Self.read([
                "package.json": #"{"dependencies": {"x": "file:vendor/x"}}"#,
                "vendor/x/package.json": #"{"name": "x", "version": "1.0.0", "dependencies": {"@mochi/runtime": "^1.0.0"}}"#,
                "package-lock.json": #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/x": {"resolved": "vendor/./x", "link": true}, "vendor/x": {"name": "x", "version": "1.0.0"}, \#(Self.evil)}}"#,
            ], lockfile: "package-lock.json")
        }
    }

    /// Found by a re-attack: Bun's `workspace:` for a folder no glob declares excused the entry.
    @Test func aBunWorkspaceReferenceMustNameADeclaredWorkspace() throws {
        let lock = #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"@mochi/runtime": "^1.2.0"}}}, "packages": {"@mochi/runtime": ["@mochi/runtime@workspace:evil"]}}"#
        #expect(throws: LockfileError.self) {
            try Self.read(["package.json": #"{"dependencies": {"@mochi/runtime": "^1.2.0"}}"#, "bun.lock": lock], lockfile: "bun.lock")
        }
        let declared = try Self.read(["package.json": #"{"workspaces": ["evil"], "dependencies": {"@mochi/runtime": "^1.2.0"}}"#, "bun.lock": lock], lockfile: "bun.lock")
        #expect(declared.packages.contains { $0.key == "@mochi/runtime" })
    }

    /// Found by a re-attack: an override nested under a package not in the tree applies nowhere here.
    @Test func aNestedOverrideExcusesNothing() {
        #expect(throws: LockfileError.self) {
            try Self.npm(#"{"dependencies": {"@mochi/runtime": "^1.0.0"}, "overrides": {"left-pad": {"@mochi/runtime": "file:./nothing"}}}"#, Self.evil)
        }
    }

    /// Found in review: npm ci installs a `file:` entry nothing depends on and runs its install script.
    @Test func aSourceEntryNothingReachesIsRefused() throws {
        #expect(throws: LockfileError.self) { try Self.npm(#"{"name": "app"}"#, Self.evil) }
        let asked = try Self.npm(#"{"dependencies": {"@mochi/runtime": "file:evil.tgz"}}"#, Self.evil)
        #expect(asked.packages.contains { $0.key == "node_modules/@mochi/runtime" })
    }
}
