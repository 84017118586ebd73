import FixtureTesting
import Foundation
import LockfileFormats
import Testing

/// What the package manager reads must be what verify-lockfile reads (found by review): YAML
/// whose lines break differently for js-yaml, an importer or a lockfile root that npm and pnpm
/// do not read as we did.
@Suite struct ReaderAgreementTests {
    static let pnpmHidingATarball = """
        lockfileVersion: '9.0'
        importers:
          .:
            dependencies:
              '@mochi/example': {specifier: ^1.0.0, version: 1.1.0}
        packages:
          '@mochi/example@1.1.0':
            #\u{2028}    note: "
            resolution: {tarball: 'https://evil.example/example-1.1.0.tgz'}
            # "
            #\u{2028}    resolution: {integrity: sha512-AAAA}
        """

    @Test(arguments: ["\u{2028}", "\u{2029}", "\u{85}"])
    func yamlWithABreakOnlyOneReaderSeesIsRefused(separator: String) {
        let text = Self.pnpmHidingATarball.replacingOccurrences(of: "\u{2028}", with: separator)
        let error = #expect(throws: LockfileError.self) { try Self.pnpm(text) }
        #expect(error?.message.contains("pnpm-lock.yaml line 8: U+") == true)
    }

    @Test func aHookFileWithSuchABreakIsRefused() throws {
        try withScratch("yaml-breaks") { folder in
            let yarn = folder.appendingPathComponent("yarn.lock")
            try Data("__metadata:\n  version: 8\n".utf8).write(to: yarn)
            try Data("#\u{2028}note: '\nyarnPath: .yarn/releases/evil.cjs\n# '\n".utf8).write(to: folder.appendingPathComponent(".yarnrc.yml"))
            let error = #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: yarn) }
            #expect(error?.message.contains(".yarnrc.yml line 1: U+2028") == true)
        }
    }

    @Test(arguments: ["https://evil.example/example-1.1.0.tgz", "file:vendor/example-1.1.0.tgz", "file:vendor/example",
                      "https://codeload.github.com/evil/example/tar.gz/0123"])
    func aPnpmImporterLockingARegistrySpecifierToAnotherSourceIsRefused(locked: String) {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@mochi/example': {specifier: ^1.0.0, version: '\(locked)'}\npackages:\n  '@mochi/example@\(locked)':\n    resolution: {tarball: '\(locked)'}\n    version: 1.1.0\n"
        let error = #expect(throws: LockfileError.self) { try Self.pnpm(text) }
        #expect(error?.message.contains("asks for @mochi/example@^1.0.0, a registry package, but locks it to \(locked)") == true)
    }

    @Test func aPnpmCatalogSpecifierIsReadThroughTheCatalog() {
        let text = "lockfileVersion: '9.0'\ncatalogs:\n  default:\n    '@mochi/example': {specifier: ^1.0.0, version: 1.1.0}\nimporters:\n  .:\n    dependencies:\n      '@mochi/example': {specifier: 'catalog:', version: 'file:x.tgz'}\npackages:\n  '@mochi/example@file:x.tgz':\n    resolution: {tarball: 'file:x.tgz'}\n    version: 1.1.0\n"
        #expect(throws: LockfileError.self) { try Self.pnpm(text) }
    }

    @Test func aPnpmWorkspaceLinkAndAGitSpecifierStayListed() throws {
        let text = "lockfileVersion: '9.0'\nimporters:\n  packages/w: {}\n  .:\n    dependencies:\n      w: {specifier: ^1.0.0, version: link:packages/w}\n      g: {specifier: github:evil/g, version: 'https://codeload.github.com/evil/g/tar.gz/0123'}\npackages:\n  g@https://codeload.github.com/evil/g/tar.gz/0123:\n    resolution: {tarball: 'https://codeload.github.com/evil/g/tar.gz/0123'}\n    version: 1.0.0\n"
        let lock = try Self.pnpm(text)
        #expect(lock.packages.contains { $0.name == "g" })
    }

    static let fileEntry = #""node_modules/@mochi/example": {"version": "1.1.0", "resolved": "file:vendor/example-1.1.0.tgz"}"#

    /// npm builds the root's edges from package.json: the lockfile's root saying `file:` is no excuse.
    @Test func theLockfilesRootCannotExcuseADisguisedEntry() throws {
        try withScratch("lock-root") { folder in
            try Data(#"{"name": "app", "dependencies": {"@mochi/example": "^1.0.0"}}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            let lock = folder.appendingPathComponent("package-lock.json")
            try Data(#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"@mochi/example": "file:vendor/example-1.1.0.tgz"}}, \#(Self.fileEntry)}}"#.utf8).write(to: lock)
            let error = #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: lock) }
            #expect(error?.message.contains("the root asks for @mochi/example@^1.0.0") == true)
        }
    }

    /// Anyone may publish a package that declares a `file:` spec: such an entry excuses nothing.
    @Test func aRegistryEntryCannotExcuseADisguisedEntry() {
        let helper = #""node_modules/helper": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/helper/-/helper-1.0.0.tgz", "integrity": "sha512-x", "dependencies": {"@mochi/example": "file:vendor/example-1.1.0.tgz"}}"#
        let text = #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"@mochi/example": "^1.0.0"}}, \#(Self.fileEntry), \#(helper)}}"#
        #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json") }
    }

    /// A workspace's edges come from its package.json on disk, not from its lockfile entry.
    @Test func aWorkspacesLockfileEntryCannotExcuseADisguisedEntry() throws {
        try withScratch("lock-workspace") { folder in
            try Data(#"{"name": "app", "workspaces": ["packages/a"]}"#.utf8).write(to: folder.appendingPathComponent("package.json"))
            let workspace = folder.appendingPathComponent("packages/a")
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
            try Data(#"{"name": "a", "version": "1.0.0", "dependencies": {"@mochi/example": "^1.0.0"}}"#.utf8).write(to: workspace.appendingPathComponent("package.json"))
            let lock = folder.appendingPathComponent("package-lock.json")
            try Data(#"{"lockfileVersion": 3, "packages": {"": {"workspaces": ["packages/a"]}, "packages/a": {"version": "1.0.0", "dependencies": {"@mochi/example": "file:vendor/example-1.1.0.tgz"}}, "node_modules/a": {"resolved": "packages/a", "link": true}, \#(Self.fileEntry)}}"#.utf8).write(to: lock)
            let error = #expect(throws: LockfileError.self) { try LockfileReader().read(contentsOf: lock) }
            #expect(error?.message.contains("packages/a asks for @mochi/example@^1.0.0") == true)
        }
    }

    /// Berry reads a file under a Yarn 1 header with its legacy grammar, whatever follows.
    @Test func aBerryLockfileUnderAYarn1HeaderIsRefused() {
        let text = "# THIS IS AN AUTOGENERATED FILE.\n#  Yarn   Lockfile v1\n\n__metadata:\n  version: 8\n"
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock") }
        #expect(error?.message.contains("Berry reads such a file with its Yarn 1 grammar") == true)
    }

    /// Found by a re-attack: a link to a folder that is no importer served a registry range.
    @Test func aPnpmLinkToAFolderThatIsNoImporterIsRefused() {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@mochi/runtime': {specifier: ^1.2.0, version: link:vendor/rt}\n"
        let error = #expect(throws: LockfileError.self) { try Self.pnpm(text) }
        #expect(error?.message.contains("locks it to link:vendor/rt") == true)
    }

    /// Found by a re-attack: deleting the catalogs section skipped the importer check.
    @Test func aPnpmCatalogTheLockfileDoesNotRecordIsARegistryRange() {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@mochi/example': {specifier: 'catalog:', version: 'https://evil.example/x.tgz'}\n"
        #expect(throws: LockfileError.self) { try Self.pnpm(text) }
    }

    /// `text` read as a pnpm-lock.yaml.
    @discardableResult
    static func pnpm(_ text: String) throws -> ParsedLockfile {
        try LockfileReader().read(Data(text.utf8), fileName: "pnpm-lock.yaml")
    }
}
