@testable import Audit
import Foundation
import RegistryClient
import Testing

/// The audit names what Node's `require` loads, byte for byte and folder for folder (found by
/// review: each of these passed `--policy` while Node loaded code the audit never saw).
@Suite struct NodeLookupRulesTests {
    static let registry = "http://127.0.0.1:9/"

    func collect(_ build: (ScratchTree) throws -> Void) throws -> AuditTargetCollector.Collection {
        let scratch = try ScratchTree("lookup")
        defer { scratch.remove() }
        try build(scratch)
        return AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
    }

    /// A Kelvin sign (U+212A) is canonically `K` to Swift, but another folder to Node: `require("Kx")`
    /// misses `\u{212A}x` and loads from the folders above the project.
    @Test func aFolderNamedInAnotherUnicodeFormServesNoEdge() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"Kx":"^1.0.0"}}"#)
            try s.install("node_modules/\u{212A}x", name: "Kx", version: "1.0.0")
        }
        #expect(found.targets.isEmpty)
        #expect(found.skipped.contains { $0.hasPrefix("Kx@^1.0.0, a dependency of the project, is not installed in the project") }, "\(found.skipped)")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/\u{212A}x (1.0.0): extraneous") }, "\(found.skipped)")
    }

    /// Node searches `node_modules/@s/node_modules` for the packages of scope `@s`: what it holds
    /// is walked and audited as Node reaches it, not read as a package named `@s/node_modules`.
    @Test func aScopesNodeModulesFolderIsWalkedAsNodeSearchesIt() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"@s/a":"^1.0.0","r":"^1.0.0"}}"#)
            try s.install("node_modules/@s/a", name: "@s/a", version: "1.0.0", dependencies: ["r": "^1.0.0"])
            try s.install("node_modules/@s/node_modules/r", name: "r", version: "6.6.6")
            try s.install("node_modules/r", name: "r", version: "1.0.0")
        }
        #expect(Set(found.targets.map { "\($0.location) \($0.id)" }) == [
            "node_modules/@s/a @s/a@1.0.0", "node_modules/r r@1.0.0", "node_modules/@s/node_modules/r r@6.6.6",
        ])
    }

    /// A link that leaves the project serves no edge as "a folder of the project's own".
    @Test func aFileSpecThroughALinkOutOfTheProjectIsListed() throws {
        let outside = try ScratchTree("lookup-outside")
        defer { outside.remove() }
        try outside.install("o", name: "o", version: "1.0.0")
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"o":"file:../o"}}"#)
            try FileManager.default.createDirectory(at: s.url.appendingPathComponent("node_modules"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: s.url.appendingPathComponent("node_modules/o"), withDestinationURL: outside.url.appendingPathComponent("o"))
        }
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/o (o@file:../o): installed from a spec that is no registry version (git, a file, a URL), through a link out of the project") },
                "\(found.skipped)")
    }

    /// A package.json nested deeper than this reader goes is JSON to Node and npm, which read a
    /// version from it: the folder is listed, never audited as the hidden lockfile's version.
    @Test func aPackageJSONThisReaderCannotReadIsListedNotTakenFromTheLockfile() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"r":"^1.0.0"}}"#)
            try s.install("node_modules/r", name: "r", version: "1.0.0")
            let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
            try s.write("node_modules/r/package.json", #"{"name":"r","version":"6.6.6","x":\#(deep)}"#)
            try s.write("node_modules/.package-lock.json", #"{"lockfileVersion":3,"packages":{"node_modules/r":{"version":"1.0.0","resolved":"http://127.0.0.1:9/r/-/r-1.0.0.tgz","integrity":"sha512-x"}}}"#)
        }
        #expect(found.targets.isEmpty, "\(found.targets.map(\.id))")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/r (r@^1.0.0): its package.json cannot be read here") }, "\(found.skipped)")
    }

    /// `@s/.x` is a name npm 10.8 installs and Node loads, and `require(".y")` loads `node_modules/.y`:
    /// both folders are read, and listed (names this audit does not take for registry packages). A
    /// tool's dot folder (`.cache`) is not read.
    @Test func dotNamedPackagesAreReadAsNodeLoadsThem() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"@s/.x":"^1.0.0"},"devDependencies":{".y":"^1.0.0"}}"#)
            try s.install("node_modules/@s/.x", name: "@s/.x", version: "1.0.0")
            try s.install("node_modules/.y", name: ".y", version: "1.0.0")
            try s.install("node_modules/.z", name: ".z", version: "1.0.0")
            try s.write("node_modules/.cache/babel/x.json", "{}")
            try s.write("node_modules/.evil.js", "{}")
        }
        #expect(found.targets.isEmpty, "\(found.targets.map(\.id))")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/@s/.x (@s/.x@^1.0.0): installed from a spec that is no registry version") }, "\(found.skipped)")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/.y (.y@^1.0.0): installed from a spec that is no registry version") }, "\(found.skipped)")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/.z (1.0.0): extraneous") }, "\(found.skipped)")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/.evil.js: a file") }, "\(found.skipped)")
        #expect(!found.skipped.contains { $0.contains(".cache") }, "\(found.skipped)")
    }

    /// A `file:` spec is the project's own code only where it lands on a folder of the project: a
    /// link into a package folder in node_modules is listed (found by review).
    @Test func aFileSpecLinkedIntoNodeModulesIsListed() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"foo":"file:vendor/foo"}}"#)
            try s.install("node_modules/evil", name: "evil", version: "1.0.0")
            try FileManager.default.createSymbolicLink(at: s.url.appendingPathComponent("node_modules/foo"),
                                                       withDestinationURL: s.url.appendingPathComponent("node_modules/evil"))
        }
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/evil (foo@file:vendor/foo): installed from a spec that is no registry version") }, "\(found.skipped)")
    }

    /// A scope's node_modules read by the main walk and again through a link is one folder, not two.
    @Test func aScopesNodeModulesReachedTwiceIsOneFolder() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"@s/a":"^1.0.0"}}"#)
            try s.install("node_modules/@s/a", name: "@s/a", version: "1.0.0")
            try s.install("node_modules/@s/a/dist/x", name: "x", version: "1.0.0")
            try s.install("node_modules/@s/node_modules/zz", name: "zz", version: "1.0.0")
            try FileManager.default.createSymbolicLink(at: s.url.appendingPathComponent("node_modules/lnk"),
                                                       withDestinationURL: s.url.appendingPathComponent("node_modules/@s/a/dist"))
        }
        #expect(found.targets.map(\.id) == ["@s/a@1.0.0"])
    }

    /// With no hidden lockfile, package-lock.json locking another version from a source is noted:
    /// which of the two npm installed cannot be told (found by review: every lockfile check was off).
    @Test func anotherLockedVersionWithASourceIsNoted() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"r":"^1.0.0"}}"#)
            try s.install("node_modules/r", name: "r", version: "1.2.0")
            try s.write("package-lock.json", #"{"lockfileVersion":3,"packages":{"":{},"node_modules/r":{"version":"1.0.0","resolved":"file:evil.tgz","integrity":"sha512-x"}}}"#)
        }
        #expect(found.targets.map(\.id) == ["r@1.2.0"])
        #expect(found.skipped.contains { $0 == "node_modules/r: package-lock.json locks 1.0.0 from file:evil.tgz here but the folder holds 1.2.0, and no hidden lockfile says which npm installed; the lockfile's source is not checked" }, "\(found.skipped)")
    }

    /// `require(".x")` loads the file `.x` as JavaScript whatever its name, and a nested
    /// `.package-lock.json` folder with an index; tools' files are left alone (found by review).
    @Test func dotFilesNodeRunsAreListedAndToolFilesAreNot() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.write("node_modules/.evil", "{}")
            try s.write("node_modules/a/node_modules/.package-lock.json/index.js", "{}")
            try s.write("node_modules/.package-lock.json", #"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}}}"#)
            try s.write("node_modules/.yarn-integrity", "{}")
            try s.write("node_modules/@s/.DS_Store", "{}")
        }
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/.evil: a file") }, "\(found.skipped)")
        #expect(found.skipped.contains { $0.hasPrefix("node_modules/a/node_modules/.package-lock.json") }, "\(found.skipped)")
        #expect(!found.skipped.contains { $0.contains(".yarn-integrity") || $0.contains(".DS_Store") || $0.hasPrefix("node_modules/.package-lock.json") }, "\(found.skipped)")
    }

    /// npm run puts every ancestor's node_modules/.bin on PATH: a scope's and a workspace parent's too.
    @Test func binFoldersOfEveryWalkedNodeModulesAreRead() throws {
        let nodes: [String: InstalledTree.Node] = [
            "node_modules/@s/a": InstalledTree.Node(location: "node_modules/@s/a", version: "1.0.0", isLink: false, edges: []),
            "packages/b": { var node = InstalledTree.Node(location: "packages/b", version: "1.0.0", isLink: false, edges: []); node.isLinkTarget = true; return node }(),
        ]
        let folders = InstalledTreeReader.binSearchFolders(nodes)
        #expect(folders.isSuperset(of: ["node_modules", "node_modules/@s/node_modules", "node_modules/@s/a/node_modules", "packages/node_modules", "packages/b/node_modules"]), "\(folders.sorted())")
    }

    /// Found by review: npm audits a folder as the package its package.json names (an override, an
    /// `npm:` alias, a lockfile entry's `name` may have put another there); the edge's name was
    /// audited instead, so other code passed under a verified name.
    @Test func aFolderIsAuditedAsThePackageItHolds() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"@mochi/runtime":"^1.0.0"},"optionalDependencies":{"@evil/.DS_Store":"npm:evil@1.0.0"}}"#)
            try s.install("node_modules/@mochi/runtime", name: "evil", version: "1.0.0")
            try s.install("node_modules/@evil/.DS_Store", name: "evil", version: "1.0.0")
        }
        #expect(Set(found.targets.map { "\($0.location) \($0.id)" }) == ["node_modules/@mochi/runtime evil@1.0.0", "node_modules/@evil/.DS_Store evil@1.0.0"],
                "\(found.targets.map { "\($0.location) \($0.id)" })")
        // The alias names evil; nothing names it for @mochi/runtime, which is then refused
        // (found by review: npm ci installs a lockfile entry's `name` there, and it passed).
        let byLocation = Dictionary(uniqueKeysWithValues: found.targets.map { ($0.location, $0) })
        #expect(byLocation["node_modules/@evil/.DS_Store"]?.askedName == nil)
        let substituted = try #require(byLocation["node_modules/@mochi/runtime"])
        #expect(substituted.askedName == "@mochi/runtime")
        let refusal = PackageAuditor.substitutionRefusal(substituted)
        #expect(refusal?.code == PackageAuditor.substitutedCode)
        #expect(refusal?.message == "node_modules/@mochi/runtime holds evil@1.0.0, but its dependency asks for @mochi/runtime and no npm: alias or override names evil: Node loads it as @mochi/runtime")
        #expect(PackageAuditor.substitutionRefusal(try #require(byLocation["node_modules/@evil/.DS_Store"])) == nil)
    }

    @Test func edgesBelowTheProjectTakeTheRootsOverrides() throws {
        let found = try collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"},"overrides":{"r":"npm:c@1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0", dependencies: ["r": "^1.0.0"])
            try s.install("node_modules/r", name: "c", version: "1.0.0")
        }
        #expect(Set(found.targets.map { "\($0.location) \($0.id)" }) == ["node_modules/a a@1.0.0", "node_modules/r c@1.0.0"], "\(found.targets.map(\.id))")
    }
}
