@testable import Audit
import Foundation
import Integrity
import RegistryClient
import Testing
#if canImport(Glibc)
import Glibc
#endif
import CodedError
import OpenSSLCrypto

/// Which installed packages get audited: npm's rules over the actual tree.
@Suite struct TreeRulesTests {
    static let registry = "http://127.0.0.1:9/"

    func targets(_ build: (ScratchTree) throws -> Void, scopes: [String: String] = [:]) throws -> [AuditTarget] {
        let scratch = try ScratchTree("tree")
        defer { scratch.remove() }
        try build(scratch)
        let tree = try InstalledTreeReader().read(prefix: scratch.url)
        let configuration = RegistryConfiguration(registry: Self.registry, scopeRegistries: scopes)
        return AuditTargetCollector(configuration: configuration).collect(tree).targets
    }

    @Test func nestedAndScopedPackagesResolveLikeNode() throws {
        let found = try targets { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0","@s/b":"2.0.0"},"devDependencies":{"c":"*"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0", dependencies: ["c": "^2.0.0", "@s/b": "^2.0.0"])
            try s.install("node_modules/a/node_modules/c", name: "c", version: "2.1.0")
            try s.install("node_modules/@s/b", name: "@s/b", version: "2.0.0")
            try s.install("node_modules/c", name: "c", version: "1.0.0")
        }
        #expect(Set(found.map { "\($0.location) \($0.id) \($0.type.rawValue)" }) == [
            "node_modules/a a@1.0.0 dependencies",
            "node_modules/@s/b @s/b@2.0.0 dependencies",
            "node_modules/c c@1.0.0 devDependencies",
            "node_modules/a/node_modules/c c@2.1.0 dependencies",
        ])
        #expect(found.count == 4, "each location once")
    }

    /// Two folders whose names differ only in Unicode form are one String key to Swift but two
    /// packages to Node: one was silently missing from the audit (found by review); now refused.
    @Test func foldersWhoseNamesDifferOnlyInUnicodeFormAreRefused() throws {
        let error = #expect(throws: AuditError.self) {
            _ = try targets { s in
                try s.install("node_modules/\u{e9}", name: "a", version: "1.0.0")
                try s.install("node_modules/e\u{301}", name: "b", version: "1.0.0")
            }
        }
        #expect(error?.message.contains("differ only in Unicode form") == true, "\(String(describing: error))")
    }

    /// A nested node_modules or a scope folder that is a symbolic link is not walked (nothing
    /// outside the project is audited), but it is listed: Node loads packages through it, and it
    /// was skipped silently, so `--policy` passed a linked-in trojan (found by review).
    @Test func aLinkedNestedNodeModulesOrScopeIsListedNotFollowed() throws {
        let outside = try ScratchTree("outside")
        defer { outside.remove() }
        try outside.install("nm/b", name: "b", version: "1.0.0")
        try outside.install("nm/@s/c", name: "@s/c", version: "1.0.0")
        let scratch = try ScratchTree("tree-linked")
        defer { scratch.remove() }
        try scratch.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
        try scratch.install("node_modules/a", name: "a", version: "1.0.0", dependencies: ["b": "^1.0.0"])
        try scratch.install("node_modules/d", name: "d", version: "1.0.0")
        try FileManager.default.createSymbolicLink(at: scratch.url.appendingPathComponent("node_modules/a/node_modules"),
                                                   withDestinationURL: outside.url.appendingPathComponent("nm"))
        try FileManager.default.createSymbolicLink(at: scratch.url.appendingPathComponent("node_modules/d/node_modules"),
                                                   withDestinationURL: scratch.url.appendingPathComponent("node_modules/a"))
        try FileManager.default.createSymbolicLink(at: scratch.url.appendingPathComponent("node_modules/@s"),
                                                   withDestinationURL: outside.url.appendingPathComponent("nm/@s"))
        let collection = AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == ["node_modules/@s: a symbolic link, not followed, so nothing Node loads through it is audited",
                                       "b@^1.0.0, a dependency of node_modules/a, is not installed in the project: Node would look for it in the folders above, which are not audited",
                                       "node_modules/a/node_modules: a symbolic link, not followed, so nothing Node loads through it is audited",
                                       "node_modules/d (1.0.0): extraneous (no installed package or package.json depends on it), so not audited",
                                       "node_modules/d/node_modules: a symbolic link, not followed, so nothing Node loads through it is audited"])
    }

    /// Found by review: Node loads a file `node_modules/x` or `node_modules/x.js` for require("x"),
    /// and a missing dependency from the folders above the project; neither was listed.
    @Test func filesNodeCanLoadAndMissingDependenciesAreListed() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0","f":"^1.0.0","m":"^1.0.0"},"optionalDependencies":{"o":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.write("node_modules/a.js", "console.log('not a')")
            try s.write("node_modules/f", "console.log('a file')")
        }
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == [
            "m@^1.0.0, a dependency of the project, is not installed in the project: Node would look for it in the folders above, which are not audited",
            "node_modules/a.js: a file, not a package folder; Node can load it for require() and it is not audited",
            "node_modules/f (f@^1.0.0): a file, not a package folder",
        ])
    }

    /// What a registry spec asks for but cannot be audited is listed with why, never dropped unseen.
    @Test func packagesThatCannotBeAuditedAreListed() throws {
        let scratch = try ScratchTree("tree-skipped")
        defer { scratch.remove() }
        try scratch.write("package.json", #"{"dependencies":{"a":"^1.0.0","b":"^1.0.0","c":"^1.0.0"}}"#)
        try scratch.install("node_modules/a", name: "a", version: "1.0.0")
        try scratch.write("node_modules/b/package.json", #"{"name":"b","version":1.1}"#)
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: scratch.url.appendingPathComponent("node_modules/c"),
                                                   withDestinationURL: scratch.url.appendingPathComponent("elsewhere"))
        let collection = AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        // c links to a folder inside the project that no workspace declares: audited as what the
        // edge asks for, as npm audits it, and that folder has no version.
        #expect(collection.skipped == ["elsewhere (c@^1.0.0): no readable version in its package.json",
                                       "node_modules/b (b@^1.0.0): no readable version in its package.json"])
    }

    /// A FIFO where a package.json belongs is not waited on (found by review: it hung the audit).
    @Test func aFIFOForAPackageJSONIsListedNotWaitedOn() throws {
        let scratch = try ScratchTree("tree-fifo")
        defer { scratch.remove() }
        try scratch.write("package.json", #"{"dependencies":{"a":"^1.0.0","b":"^1.0.0"}}"#)
        try scratch.install("node_modules/a", name: "a", version: "1.0.0")
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("node_modules/b"), withIntermediateDirectories: true)
        #expect(mkfifo(scratch.url.appendingPathComponent("node_modules/b/package.json").path, 0o600) == 0)
        let collection = AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == ["node_modules/b (b@^1.0.0): no readable version in its package.json"])
        // Found by review: Node still loads the folder; npm's hidden lockfile says what npm placed there.
        try scratch.write("node_modules/.package-lock.json", #"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"},"node_modules/b":{"version":"1.2.0","integrity":"sha512-BBBB"}}}"#)
        let locked = AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
        #expect(locked.targets.map(\.id) == ["a@1.0.0", "b@1.2.0"])
        #expect(locked.skipped == [])
    }

    /// npm audits edges, so a folder nothing depends on is never checked: we name it.
    @Test func extraneousPackagesAreListedAsNotAudited() throws {
        let scratch = try ScratchTree("tree-extraneous")
        defer { scratch.remove() }
        try scratch.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
        try scratch.install("node_modules/a", name: "a", version: "1.0.0")
        try scratch.install("node_modules/stray", name: "stray", version: "6.6.6")
        try scratch.install("node_modules/a/node_modules/hidden", name: "hidden", version: "1.0.0")
        let collection = AuditTargetCollector(configuration: RegistryConfiguration(registry: Self.registry))
            .collect(try InstalledTreeReader().read(prefix: scratch.url))
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == [
            "node_modules/a/node_modules/hidden (1.0.0): extraneous (no installed package or package.json depends on it), so not audited",
            "node_modules/stray (6.6.6): extraneous (no installed package or package.json depends on it), so not audited",
        ])
    }

    /// Found by review: npm ci installs an extraneous entry its lockfile lists, from any host; the
    /// audit only noted it. Such a folder is audited, lockfile checks included.
    @Test func anExtraneousFolderTheLockfileListsIsAudited() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.install("node_modules/stray", name: "stray", version: "6.6.6")
            try s.write("package-lock.json", #"{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0"},"node_modules/stray":{"version":"6.6.6","resolved":"http://evil.test/stray.tgz","integrity":"sha512-AAAA"}}}"#)
        }
        #expect(collection.targets.map(\.id).sorted() == ["a@1.0.0", "stray@6.6.6"])
        let stray = try #require(collection.targets.first { $0.name == "stray" })
        #expect(stray.lockedResolved == "http://evil.test/stray.tgz")
        #expect(LockedSource.refusal(stray, tarball: Self.registry + "stray/-/stray-6.6.6.tgz", defaultRegistry: Self.registry)?.code == "ERESOLVED")
        #expect(collection.skipped.isEmpty)
    }

    @Test func theJSONReportListsSkippedPackagesOnlyWhenThereAreAny() throws {
        var report = AuditReport(packages: [], elapsed: .zero)
        #expect(report.json() == "{\n  \"invalid\": [],\n  \"missing\": []\n}\n")
        report.skipped = ["node_modules/c (c@^1.0.0): a symbolic link", "node_modules/\"q\" (q@1): why"]
        #expect(report.json() == """
            {
              "invalid": [],
              "missing": [],
              "skipped": [
                "node_modules/c (c@^1.0.0): a symbolic link",
                "node_modules/\\"q\\" (q@1): why"
              ]
            }

            """)
    }

    @Test func skipsWhatNpmSkips() throws {
        let found = try targets { s in
            try s.write("package.json", """
                {"dependencies":{"gitdep":"github:o/r","filedep":"file:../x","urldep":"https://e.example/x.tgz",
                 "dotdir":".evil","drive":"C:x","gone":"^1.0.0","noversion":"^1.0.0","linked":"^1.0.0","ok":"1.0.0"},
                 "optionalDependencies":{"absent":"^1.0.0"}}
                """)
            for name in ["gitdep", "filedep", "urldep", "dotdir", "drive", "ok"] {
                try s.install("node_modules/\(name)", name: name, version: "1.0.0")
            }
            try s.install("node_modules/noversion", name: "noversion", version: nil)
            try s.install("elsewhere/linked", name: "linked", version: "1.0.0")
            try FileManager.default.createSymbolicLink(at: s.url.appendingPathComponent("node_modules/linked"),
                                                       withDestinationURL: s.url.appendingPathComponent("elsewhere/linked"))
            try s.install("node_modules/extraneous", name: "extraneous", version: "1.0.0")
        }
        #expect(found.map(\.id) == ["linked@1.0.0", "ok@1.0.0"], "npm skips only declared workspaces, not every link")
        #expect(found.first?.linkedFolder == "elsewhere/linked")
    }

    /// Found by review: copies of one huge package.json made the audit hold millions of edges
    /// (2.8 GB, then an abort); the declarations read in all are bounded.
    @Test func aTreeDeclaringMoreDependenciesThanTheBoundIsRefused() throws {
        let half = InstalledTreeReader.maxEdges / 2 + 1
        let manifest = #"{"name":"x","version":"1.0.0","dependencies":{"# + (0..<half).map { #""d\#($0)":"1""# }.joined(separator: ",") + "}}"
        let error = #expect(throws: AuditError.self) {
            _ = try Self.collect { s in
                for name in ["x", "y"] { try s.write("node_modules/\(name)/package.json", manifest) }
            }
        }
        #expect(error?.message.contains("declare more than \(InstalledTreeReader.maxEdges) dependencies in all") == true, "\(String(describing: error))")
    }

    /// Found by review: npm run puts node_modules/.bin first on PATH, and a link there to a file
    /// outside every audited package passed unseen. Links into audited packages and into the
    /// project's own folders pass; anything else is listed.
    @Test func binLinksOutsideAuditedPackagesAreListed() throws {
        let outside = try ScratchTree("bin-outside")
        defer { outside.remove() }
        try outside.write("evil.sh", "echo evil")
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0","@s/b":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.write("node_modules/a/cli.js", "x")
            try s.install("node_modules/@s/b", name: "@s/b", version: "1.0.0")
            try s.write("node_modules/@s/b/bin/b.js", "x")
            try s.install("node_modules/stray", name: "stray", version: "1.0.0")
            try s.write("node_modules/stray/x.js", "x")
            try s.write("scripts/own.js", "x")
            try s.link("node_modules/.bin/a", to: "../a/cli.js")
            try s.link("node_modules/.bin/b", to: "../@s/b/bin/b.js")
            try s.link("node_modules/.bin/own", to: "../../scripts/own.js")
            try s.link("node_modules/.bin/tsc", to: outside.url.appendingPathComponent("evil.sh").path)
            try s.link("node_modules/.bin/stray", to: "../stray/x.js")
            try s.write("node_modules/.bin/plain", "#!/bin/sh")
        }
        #expect(collection.targets.map(\.id).sorted() == ["@s/b@1.0.0", "a@1.0.0"])
        #expect(collection.skipped.filter { $0.contains(".bin") } == [
            "node_modules/.bin/plain: no symbolic link into a package of the project, yet npm run and npx run what it names; not audited",
            "node_modules/.bin/stray: links to node_modules/stray/x.js, outside every package the audit checks, yet npm run and npx run it; not audited",
            "node_modules/.bin/tsc: no symbolic link into a package of the project, yet npm run and npx run what it names; not audited",
        ])
    }

    /// Found by review: npm fetches what the root's own bundleDependencies cover and marks it
    /// inBundle, so an inBundle entry that names a source is checked like any fetched one; and
    /// npm-shrinkwrap.json is read over package-lock.json, as npm reads it.
    @Test func aBundledEntryNamingASourceAndAShrinkwrapAreHeldToTheTree() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"},"bundleDependencies":["a"]}"#)
            try s.write("node_modules/a/package.json", #"{"name":"a","version":"1.0.0","dependencies":{"b":"^1.0.0"},"bundleDependencies":["x"]}"#)
            try s.install("node_modules/a/node_modules/b", name: "b", version: "1.0.0")
            try s.write("npm-shrinkwrap.json", #"{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0","resolved":"http://r/a.tgz","integrity":"sha512-AAAA"},"node_modules/a/node_modules/b":{"version":"1.0.0","inBundle":true,"resolved":"http://evil.test/b.tgz","integrity":"sha512-BBBB"}}}"#)
            try s.write("package-lock.json", #"{"lockfileVersion":3,"packages":{"":{}}}"#)
        }
        let b = try #require(collection.targets.first { $0.name == "b" })
        #expect(b.lockedResolved == "http://evil.test/b.tgz" && b.isLocked)
    }

    /// Found by review: a dependency installed from a URL was neither audited nor listed, so
    /// `--policy` passed code nothing had checked.
    @Test func aPackageFromASpecThatIsNoRegistryVersionIsListed() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0", dependencies: ["leftpad": "http://127.0.0.1:9/evil.tgz", "g": "github:o/r"])
            try s.install("node_modules/leftpad", name: "leftpad", version: "1.0.0")
        }
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == [
            "g@github:o/r, a dependency of node_modules/a, is not installed in the project: Node would look for it in the folders above, which are not audited",
            "node_modules/leftpad (leftpad@http://127.0.0.1:9/evil.tgz): installed from a spec that is no registry version (git, a file, a URL), so its bytes are not audited",
        ])
    }

    @Test func aliasAuditsTheAliasedPackageAndScopesPickTheirRegistry() throws {
        let found = try targets({ s in
            try s.write("package.json", #"{"dependencies":{"lp":"npm:left-pad@^1.3.0","@corp/x":"^1.0.0"}}"#)
            try s.install("node_modules/lp", name: "left-pad", version: "1.3.0")
            try s.install("node_modules/@corp/x", name: "@corp/x", version: "1.0.0")
        }, scopes: ["@corp": "http://127.0.0.1:10/npm/"])
        let byLocation = Dictionary(uniqueKeysWithValues: found.map { ($0.location, $0) })
        #expect(byLocation["node_modules/lp"]?.name == "left-pad")
        #expect(byLocation["node_modules/lp"]?.registry == Self.registry)
        #expect(byLocation["node_modules/@corp/x"]?.registry == "http://127.0.0.1:10/npm/")
    }

    @Test func treeWithoutDependenciesIsNothingToAudit() async throws {
        let scratch = try ScratchTree("empty")
        defer { scratch.remove() }
        try scratch.write("package.json", #"{"name":"empty","version":"1.0.0"}"#)
        let error = await #expect(throws: AuditError.self) {
            try await runAudit(prefix: scratch.url, registry: Self.registry)
        }
        #expect(error?.message == "found no installed dependencies to audit")
    }

    @Test(arguments: [
        ("sha512-abc", "sha512-abc"),
        ("  sha512-abc \n sha1-xyz  sha512-def?opt ", "sha512-abc sha512-def?opt sha1-xyz"),
        ("bogus sha256-q", "sha256-q"),
    ])
    func integrityIsNormalisedLikeSsri(input: String, expected: String) {
        #expect(IntegrityString.normalized(input) == expected)
    }

    @Test func lockfileIntegrityIsKeptWhenItDescribesTheInstalledVersion() throws {
        let found = try targets { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0","b":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.install("node_modules/b", name: "b", version: "1.1.0")
            try s.write("package-lock.json", """
                {"name":"x","lockfileVersion":3,"packages":{"":{},
                 "node_modules/a":{"version":"1.0.0","integrity":"sha512-AAAA"},
                 "node_modules/b":{"version":"1.0.0","integrity":"sha512-BBBB"}}}
                """)
        }
        let byName = Dictionary(uniqueKeysWithValues: found.map { ($0.name, $0) })
        #expect(byName["a"]?.lockedIntegrity == "sha512-AAAA")
        #expect(byName["b"]?.lockedIntegrity == nil, "a stale lockfile entry is ignored")
    }

    /// Found by a re-attack: the hidden lockfile npm ci writes says where the bytes came from, so an
    /// entry whose version differs from the folder's is kept (and refused by `LockedSource`), a
    /// bundled entry is left to its parent's tarball, and a lockfile that cannot be read is an error.
    @Test func theHiddenLockfileIsHeldToTheInstalledTree() throws {
        let found = try targets { s in
            try s.write("package.json", #"{"dependencies":{"a":"^1.0.0","b":"^1.0.0"}}"#)
            try s.write("node_modules/a/package.json", #"{"name":"a","version":"1.0.0","dependencies":{"c":"^1.0.0"},"bundleDependencies":["c"]}"#)
            try s.install("node_modules/a/node_modules/c", name: "c", version: "1.0.0")
            try s.install("node_modules/b", name: "b", version: "1.0.0", dependencies: ["d": "^1.0.0"])
            try s.install("node_modules/b/node_modules/d", name: "d", version: "1.0.0")
            try s.write("node_modules/.package-lock.json", """
                {"name":"x","lockfileVersion":3,"packages":{
                 "node_modules/a":{"version":"1.0.0","integrity":"sha512-AAAA","resolved":"http://r/a.tgz"},
                 "node_modules/a/node_modules/c":{"version":"1.0.0","inBundle":true},
                 "node_modules/b":{"version":"1.2.0","resolved":"http://evil/b.tgz"},
                 "node_modules/b/node_modules/d":{"version":"1.0.0","inBundle":true,"resolved":"http://evil/d.tgz"}}}
                """)
        }
        let byName = Dictionary(uniqueKeysWithValues: found.map { ($0.name, $0) })
        #expect(byName["b"]?.isLocked == true && byName["b"]?.lockedVersion == "1.2.0")
        #expect(byName["c"]?.isLocked == false, "bundled: its bytes came with a's tarball")
        // Found by review: b bundles nothing, so `inBundle` excuses nothing and d's source is checked.
        #expect(byName["d"]?.isLocked == true && byName["d"]?.lockedResolved == "http://evil/d.tgz")
        #expect(byName["a"]?.lockedIntegrity == "sha512-AAAA")
        #expect(throws: AuditError.self) {
            try targets { s in
                try s.write("package.json", #"{"dependencies":{"a":"^1.0.0"}}"#)
                try s.install("node_modules/a", name: "a", version: "1.0.0")
                try s.write("node_modules/.package-lock.json", #"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","license":"MIT\ud800"}}}"#)
            }
        }
    }

    /// Found by a re-attack: npm installs a workspace's own dependencies in its folder, which the
    /// audit never read, so npm ci could fill it from another host. A link to a folder inside the
    /// project is read there; one outside stays unread. A version is read as npm cleans it.
    @Test func workspaceFoldersAreReadWhereTheLinksPoint() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":["packages/ws"],"dependencies":{"ws":"*","v":"^1.0.0"}}"#)
            try s.install("packages/ws", name: "ws", version: "1.0.0", dependencies: ["r": "1.0.0"])
            try s.install("packages/ws/node_modules/r", name: "r", version: "1.0.0")
            try s.install("node_modules/v", name: "v", version: "v1.0.0")
            try s.link("node_modules/ws", to: "../packages/ws")
            try s.write("node_modules/.package-lock.json", """
                {"name":"app","lockfileVersion":3,"packages":{
                 "node_modules/ws":{"resolved":"packages/ws","link":true},
                 "node_modules/v":{"version":"1.0.0","integrity":"sha512-VVVV"},
                 "packages/ws/node_modules/r":{"version":"1.0.0","resolved":"http://evil/r.tgz"}}}
                """)
        }
        let byName = Dictionary(uniqueKeysWithValues: collection.targets.map { ($0.name, $0) })
        #expect(byName["r"]?.location == "packages/ws/node_modules/r")
        #expect(byName["r"]?.isLocked == true && byName["r"]?.lockedIntegrity == nil, "the lockfile rule applies to it")
        #expect(byName["v"]?.version == "1.0.0" && byName["v"]?.lockedIntegrity == "sha512-VVVV")
        #expect(collection.skipped == [], "the link is local code, read where it points")
    }

    /// Found by a re-attack: Node looks in the node_modules of every folder above a workspace (an
    /// outer workspace's too), a workspace's devDependencies are installed, a link may point into
    /// a folder named node_modules, and a package npm's hidden lockfile does not list was not
    /// placed by npm from anywhere it records.
    @Test func linkTargetsResolveAsNodeDoesAndUnlistedPackagesAreMarked() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":["outer","outer/ws"],"dependencies":{"ws":"*","vw":"file:vendor/node_modules/vw"}}"#)
            try s.install("outer", name: "outer", version: "1.0.0")
            try s.write("outer/ws/package.json", #"{"name":"ws","version":"1.0.0","dependencies":{"r":"1.0.0"},"devDependencies":{"d":"1.0.0"}}"#)
            try s.install("outer/node_modules/r", name: "r", version: "1.0.0")
            try s.install("outer/ws/node_modules/d", name: "d", version: "1.0.0")
            try s.install("vendor/node_modules/vw", name: "vw", version: "1.0.0", dependencies: ["q": "1.0.0"])
            try s.install("vendor/node_modules/vw/node_modules/q", name: "q", version: "1.0.0")
            try s.link("node_modules/ws", to: "../outer/ws")
            try s.link("node_modules/vw", to: "../vendor/node_modules/vw")
            try s.write("node_modules/.package-lock.json", """
                {"name":"app","lockfileVersion":3,"packages":{"node_modules/ws":{"resolved":"outer/ws","link":true},
                 "outer/node_modules/r":{"version":"1.0.0","integrity":"sha512-RRRR","resolved":"http://r/r.tgz"},
                 "outer/ws/node_modules/d":{"version":"1.0.0","integrity":"sha512-DDDD","resolved":"http://r/d.tgz"}}}
                """)
        }
        let byName = Dictionary(uniqueKeysWithValues: collection.targets.map { ($0.name, $0) })
        #expect(byName["r"]?.location == "outer/node_modules/r" && byName["r"]?.isUnlisted == false)
        #expect(byName["d"]?.location == "outer/ws/node_modules/d", "a workspace's devDependencies count")
        #expect(byName["q"]?.location == "vendor/node_modules/vw/node_modules/q")
        #expect(byName["q"]?.isUnlisted == true, "npm's hidden lockfile does not list it")
        #expect(collection.skipped == [])
    }

    /// Found by a re-attack: a link to another package folder in node_modules hid what npm ci had
    /// fetched there from another host; the folder is audited as what the edge asks for.
    @Test func aLinkToAPackageFolderInNodeModulesIsAuditedAtItsTarget() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"root","dependencies":{"@mochi/example":"1.0.0"}}"#)
            try s.install("node_modules/zzz", name: "@mochi/example", version: "1.0.0")
            try s.link("node_modules/@mochi/example", to: "../zzz")
            try s.write("node_modules/.package-lock.json", """
                {"name":"root","lockfileVersion":3,"packages":{"node_modules/@mochi/example":{"resolved":"node_modules/zzz","link":true},
                 "node_modules/zzz":{"name":"@mochi/example","version":"1.0.0","resolved":"http://evil/ex.tgz","integrity":"sha512-EEEE"}}}
                """)
        }
        #expect(collection.targets.map(\.id) == ["@mochi/example@1.0.0"])
        #expect(collection.targets.first?.location == "node_modules/zzz")
        #expect(collection.targets.first?.lockedResolved == "http://evil/ex.tgz", "so LockedSource refuses it (ERESOLVED)")
        #expect(collection.skipped == [])
    }

    /// Found by review: a lockfile `link` to a folder of the project served a registry range, and
    /// the audit skipped it silently; npm audits the folder's version unless a workspace is declared
    /// there, and we refuse it (`LockedSource`: ERESOLVED).
    @Test func aLinkToAFolderNoWorkspaceDeclaresIsAuditedAsWhatTheEdgeAsksFor() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":["packages/*"],"dependencies":{"@mochi/runtime":"^1.0.0","w":"^1.0.0"}}"#)
            try s.install("vendor/runtime", name: "@mochi/runtime", version: "1.2.0")
            try s.install("packages/w", name: "w", version: "1.0.0")
            try s.link("node_modules/@mochi/runtime", to: "../../vendor/runtime")
            try s.link("node_modules/w", to: "../packages/w")
            try s.write("node_modules/.package-lock.json", """
                {"name":"app","lockfileVersion":3,"packages":{"node_modules/@mochi/runtime":{"resolved":"vendor/runtime","link":true},
                 "vendor/runtime":{"name":"@mochi/runtime","version":"1.2.0"},"node_modules/w":{"resolved":"packages/w","link":true}}}
                """)
        }
        #expect(collection.targets.map(\.id) == ["@mochi/runtime@1.2.0"], "the declared workspace w is skipped, as npm skips it")
        #expect(collection.targets.first?.linkedFolder == "vendor/runtime")
        #expect(collection.skipped == [])
    }

    @Test func workspaceGlobsMatchAsNpmMatchesThem() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":{"packages":["./apps/*","libs/**","!libs/private/*"]},"dependencies":{"a":"^1.0.0","b":"^1.0.0","c":"^1.0.0","d":"^1.0.0"}}"#)
            for (name, folder) in [("a", "apps/a"), ("b", "libs/x/b"), ("c", "libs/private/c"), ("d", "apps/.d")] {
                try s.install(folder, name: name, version: "1.0.0")
                try s.link("node_modules/\(name)", to: "../\(folder)")
            }
        }
        #expect(collection.targets.map(\.name).sorted() == ["c", "d"], "an excluded folder and a dot folder are no workspaces")
    }

    /// Found by a re-attack: npm's `isWorkspace` also asks that the link be the root's
    /// `node_modules/<name>` for the folder's own package name; a link at another name is audited.
    @Test func aLinkAtAnotherNameToAWorkspaceIsAudited() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":["packages/*"],"dependencies":{"@mochi/example":"^1.1.0","a":"^1.0.0"}}"#)
            try s.install("packages/a", name: "a", version: "1.1.0")
            try s.link("node_modules/@mochi/example", to: "../../packages/a")
            try s.link("node_modules/a", to: "../packages/a")
        }
        #expect(collection.targets.map(\.id) == ["@mochi/example@1.1.0"], "the workspace a itself is skipped")
        #expect(collection.targets.first?.linkedFolder == "packages/a")
    }

    /// Found by review: npm reads a package.json with a byte order mark; the audit read the root as
    /// empty and passed a dependency npm ci had fetched from another host. One it cannot read stops it.
    @Test func theProjectsPackageJSONIsReadAsNpmReadsItOrStops() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", "\u{FEFF}" + #"{"name":"app","workspaces":["packages/*"],"dependencies":{"a":"^1.0.0"}}"#)
            try s.install("node_modules/a", name: "a", version: "1.0.0")
            try s.install("packages/w", name: "w", version: "1.0.0")
            try s.link("node_modules/w", to: "../packages/w")
        }
        #expect(collection.targets.map(\.id) == ["a@1.0.0"])
        #expect(collection.skipped == [], "a workspace nothing depends on is reached by the root's workspace edge")
        #expect(throws: AuditError.self) {
            try Self.collect { s in try s.write("package.json", #"{"dependencies": {"a": "^1.0.0"}"#) }
        }
    }

    /// Found by review: a workspace folder that is itself a link (packages/a → libs/a) is matched
    /// by the path npm's globs walked, not only by where it really is.
    @Test func aSymlinkedWorkspaceFolderIsAWorkspace() throws {
        let collection = try Self.collect { s in
            try s.write("package.json", #"{"name":"app","workspaces":["packages/*"],"dependencies":{"a":"^1.0.0"}}"#)
            try s.install("libs/a", name: "a", version: "1.0.0")
            try FileManager.default.createDirectory(at: s.url.appendingPathComponent("packages"), withIntermediateDirectories: true)
            try s.link("packages/a", to: "../libs/a")
            try s.link("node_modules/a", to: "../packages/a")
        }
        #expect(collection.targets.isEmpty)
        #expect(collection.skipped == [])
    }

    static func collect(_ build: (ScratchTree) throws -> Void) throws -> AuditTargetCollector.Collection {
        let scratch = try ScratchTree("tree-links")
        defer { scratch.remove() }
        try build(scratch)
        return AuditTargetCollector(configuration: RegistryConfiguration(registry: registry)).collect(try InstalledTreeReader().read(prefix: scratch.url))
    }

    @Test func integritiesConflictOnlyWhenASharedAlgorithmDisagrees() throws {
        let (a, b) = (Data("a".utf8), Data("b".utf8))
        let sha512A = SubresourceIntegrity.of(a), sha1A = SubresourceIntegrity.of(a, algorithm: .sha1)
        #expect(sha512A.conflicts(with: .of(b)))
        #expect(!sha512A.conflicts(with: try SubresourceIntegrity("\(sha512A) \(sha1A)")))
        #expect(!sha1A.conflicts(with: .of(b)), "disjoint algorithms do not conflict")
        #expect(try SubresourceIntegrity("\(sha512A) \(sha1A)").conflicts(with: try SubresourceIntegrity("\(sha512A) \(SubresourceIntegrity.of(b, algorithm: .sha1))")),
                "one shared algorithm that differs is a conflict, even when another agrees")
    }

    @Test func shasumStandsInForAMissingIntegrity() {
        #expect(IntegrityString.of(integrity: nil, shasum: "f8f2c887ad10bf67f634f005b6987fed3179aac8") == "sha1-+PLIh60Qv2f2NPAFtph/7TF5qsg=")
        #expect(IntegrityString.of(integrity: nil, shasum: nil) == nil)
    }
}
