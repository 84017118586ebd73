import FixtureTesting
import Foundation
import LockfileFormats
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile lockfiles are refused with a reason, within size, count and depth limits.
@Suite struct HostileLockfileTests {
    func refusal(_ text: String, _ name: String, limits: LockfileLimits = LockfileLimits()) -> String {
        do {
            _ = try LockfileReader(limits: limits).read(Data(text.utf8), fileName: name)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func invalidNamesAndPathsAreRefused() {
        #expect(refusal(#"{"lockfileVersion": 3, "packages": {"node_modules/../../etc": {"version": "1.0.0"}}}"#, "package-lock.json")
            .contains("not a node_modules path"))
        #expect(refusal(#"{"lockfileVersion": 1, "dependencies": {"../x": {"version": "1.0.0"}}}"#, "package-lock.json")
            .contains("invalid package name"))
        #expect(refusal("lockfileVersion: '9.0'\npackages:\n  ../x@1.0.0:\n    resolution: {integrity: sha512-x}\n", "pnpm-lock.yaml")
            .contains("invalid package name"))
        #expect(refusal("\"_bad@^1\":\n  version \"1.0.0\"\n", "yarn.lock").contains("invalid package name"))
    }

    /// Bun reads one algorithm-digest token and skips the check for anything it cannot parse.
    @Test func bunIntegrityThatBunWouldNotCheckIsRefused() {
        let digest = "sha512-" + String(repeating: "A", count: 86) + "=="
        for integrity in ["\(digest)?x", "\(digest) sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=", " \(digest)"] {
            let text = #"{"lockfileVersion": 1, "packages": {"a": ["a@1.0.0", "", {}, "\#(integrity)"]}}"#
            #expect(refusal(text, "bun.lock").contains("Bun would not check"), "\(integrity)")
        }
        let url = #"{"lockfileVersion": 1, "packages": {"a": ["a@1.0.0", "https://evil.example/a.tgz", {}, "\#(digest)"]}}"#
        let entry = try? LockfileReader().read(Data(url.utf8), fileName: "bun.lock").packages.first
        #expect(entry?.kind == .notVerifiable("tarball URL that is not a registry download (https://evil.example/a.tgz)"))
    }

    /// npm reads `packages` whenever it is there, whatever lockfileVersion says.
    @Test func aVersionOneLockfileWithPackagesIsReadAsNpmReadsIt() throws {
        let text = #"""
            {"lockfileVersion": 1, "dependencies": {"lodash": {"version": "4.17.21", "integrity": "sha512-GOOD"}},
             "packages": {"": {}, "node_modules/lodash": {"version": "4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/evil.tgz", "integrity": "sha512-EVIL"}}}
            """#
        let lock = try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json")
        #expect(lock.packages.map(\.integrity) == ["sha512-EVIL"])
    }

    /// Swift would merge two `packages` keys that differ only by a Kelvin sign and verify one
    /// entry; npm keeps both and installs the other (found by an attack: the unverified entry's
    /// install script ran while verify-lockfile said ok).
    @Test func packagePathsThatDifferOnlyInUnicodeFormAreRefused() {
        let text = #"""
            {"lockfileVersion": 3, "packages": {"": {},
             "node_modules/Kx/node_modules/inner": {"version": "1.0.0", "resolved": "https://evil.example/evil.tgz", "integrity": "sha512-EVIL"},
             "node_modules/\u212Ax/node_modules/inner": {"version": "1.0.0", "integrity": "sha512-GOOD"}}}
            """#
        #expect(refusal(text, "package-lock.json").contains("differ only in Unicode form"))
    }

    /// arborist reads `link` and `inBundle` by JavaScript truthiness and a relative `resolved` as a
    /// path (found by an attack: `"link": "false"` linked another package's folder in its place
    /// while verify-lockfile reported the registry package verified).
    @Test(arguments: [
        (#""link": "false", "resolved": "node_modules/usesopt""#, "linked local folder"),
        (#""link": 1, "resolved": "https://registry.example/a/-/a-1.0.0.tgz""#, "linked local folder"),
        (#""resolved": "vendor/a""#, "npm reads it as a local path"),
    ])
    func entriesNpmDoesNotFetchFromTheRegistryAreNotVerifiable(fields: String, reason: String) throws {
        // `inBundle` alone is no excuse: npm fetches what the bundling tarball lacks from `resolved`.
        let bundled = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "inBundle": "yes", "resolved": "https://registry.example/a/-/a-1.0.0.tgz"}}}"#
        #expect(try LockfileReader().read(Data(bundled.utf8), fileName: "package-lock.json").packages.first?.kind == .registry)
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "#
            + fields + "}}}"
        let entry = try #require(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.first)
        guard case .notVerifiable(let why) = entry.kind else { Issue.record("\(fields) was read as a registry entry"); return }
        #expect(why.contains(reason), "\(why)")
    }

    /// Found by a re-attack: npm reads URLs on git hosts as git (no integrity check), whatever
    /// their path, and keeps an alias's `resolved` in v1 lockfiles.
    @Test(arguments: [
        #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "resolved": "https://github.com/attacker/repo.git?x=/-/#abc"}}}"#,
        #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "resolved": "HTTPS://user@GitLab.com:443/a/b.git?/-/"}}}"#,
        #"{"lockfileVersion": 1, "dependencies": {"x": {"version": "npm:a@1.0.0", "integrity": "sha512-A", "resolved": "git+file:///tmp/repo#abc"}}}"#,
    ])
    func gitHostsAndAliasResolutionsAreNotVerifiable(_ text: String) throws {
        let entry = try #require(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.first)
        guard case .notVerifiable = entry.kind else { Issue.record("read as a registry entry: \(text)"); return }
    }

    /// Found by review (witnessed with npm 10.8.2): a v1 `bundled` entry is fetched from its
    /// `resolved` when the parent's tarball lacks it, so it is judged as the registry package it
    /// names, as v3's `inBundle` is; only one with no source may be set aside, below a bundler.
    @Test func aVersion1BundledEntryIsNoExcuse() throws {
        let text = #"{"lockfileVersion": 1, "dependencies": {"p": {"version": "1.0.0", "integrity": "sha512-A", "resolved": "https://r.example/p/-/p-1.0.0.tgz", "dependencies": {"# +
            #""x": {"version": "1.2.0", "integrity": "sha512-B", "resolved": "http://evil.example/x/-/x-1.2.0.tgz", "bundled": true},"# +
            #""y": {"version": "1.0.0", "bundled": true}}}}}"#
        let entries = try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages
        #expect(entries.map(\.key) == ["node_modules/p", "node_modules/p/node_modules/x", "node_modules/p/node_modules/y"])
        #expect(entries.allSatisfy { $0.kind == .registry }, "\(entries.map(\.kind))")
    }

    /// Found by review: npm maps a URL's host (WHATWG URL: IDNA, percent-decoding, dropping tabs
    /// and soft hyphens) before asking hosted-git-info, so these are github.com to npm, fetched as
    /// git without an integrity check. A host we would have to map is not verifiable.
    @Test(arguments: [
        "https://\u{FF47}\u{FF49}\u{FF54}\u{FF48}\u{FF55}\u{FF42}.com/attacker/repo?x=/-/", "https://git\u{AD}hub.com/a/r?x=/-/",
        "https://github\u{3002}com/a/r?x=/-/", "https://gith%75b.com/a/r?x=/-/", "https://git\\thub.com/a/r?x=/-/",
        "https://github.com/\u{301}x/-/a-1.0.0.tgz", "https://github.com\\\\a/-/r", "https:///-/x",
        // hosted-git-info drops a leading www. from any host (found by a re-attack).
        "https://www.gist.github.com/attacker/0123abcd/-/a-1.0.0.tgz", "https://www.git.sr.ht/~attacker/repo/-/a-1.0.0.tgz",
        "HTTPS://WWW.Gist.GitHub.com:443/attacker/0123abcd/-/a-1.0.0.tgz",
    ])
    func hostsNpmWouldMapAreNotVerifiable(resolved: String) throws {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "resolved": "\#(resolved)"}}}"#
        let entry = try #require(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.first)
        guard case .notVerifiable = entry.kind else { Issue.record("read as a registry entry: \(resolved)"); return }
    }

    @Test(arguments: ["https://registry.npmjs.org/a/-/a-1.0.0.tgz", "http://127.0.0.1:4873/a/-/a-1.0.0.tgz",
                      "https://[::1]:8443/a/-/a-1.0.0.tgz", "HTTPS://Registry.Example:443/npm/a/-/a-1.0.0.tgz"])
    func plainRegistryHostsStayRegistryEntries(resolved: String) throws {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "integrity": "sha512-A", "resolved": "\#(resolved)"}}}"#
        #expect(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.first?.kind == .registry)
    }

    /// Yarn 1 clones ssh: and .git URLs (GitResolver) and checks the commit, not the registry's
    /// integrity (found by a re-attack: both read as registry packages). Where the block's
    /// descriptors ask for a registry version, such a resolution refuses the lockfile.
    @Test(arguments: [
        ("@mochi/compat@ssh://git@evil.example/x.git", "ssh://git@evil.example/x.git#0123456789abcdef0123456789abcdef01234567", false),
        ("@mochi/compat@https://evil.example/-/x.git", "https://evil.example/-/x.git#0123456789abcdef0123456789abcdef01234567", false),
        ("@mochi/compat@^1.0.0", "https://evil.example/-/x.git", true),
        ("@mochi/compat@npm:@mochi/compat@1.0.0", "git+ssh://git@evil.example/x.git#0123", true),
        ("@mochi/compat@^1.0.0", "evil.example:x/-/compat-1.0.0.tgz", true),
        ("@mochi/compat@gist:0123abcd", "https://registry.yarnpkg.com/@mochi/compat/-/compat-1.0.0.tgz", false),
    ])
    func yarnGitResolutionsAreNotVerifiable(key: String, resolved: String, refused: Bool) throws {
        let text = """
            # yarn lockfile v1

            "\(key)":
              version "1.0.0"
              resolved "\(resolved)"
              integrity sha512-eRAu6rUS3gawiuQRIr5L+CEe0ro0HH9Yve97xpjSej0OcDqHLuIm+5JwE2Z+u7Y0rdlaJwSzDsjjoM3wNu1s6A==

            """
        guard !refused else {
            #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock") }
            return
        }
        let entry = try #require(try LockfileReader().read(Data(text.utf8), fileName: "yarn.lock").packages.first)
        guard case .notVerifiable = entry.kind else { Issue.record("read as a registry entry: \(key) \(resolved)"); return }
    }

    @Test func entriesThatBringTheirOwnTreeSayWhy() throws {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "hasShrinkwrap": true}, "node_modules/b": {"version": "1.0.0", "bundleDependencies": ["c"]}, "node_modules/d": {"version": "1.0.0", "bundleDependencies": []}}}"#
        let entries = try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages
        #expect(entries.map(\.ownTree) == ["it has its own npm-shrinkwrap.json (hasShrinkwrap)", "it bundles dependencies (bundleDependencies)", nil])
    }

    @Test func aFalseLinkAndAnAbsoluteResolvedStayARegistryEntry() throws {
        let text = #"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"version": "1.0.0", "link": false, "inBundle": 0, "resolved": "https://registry.example/a/-/a-1.0.0.tgz"}}}"#
        let entry = try #require(try LockfileReader().read(Data(text.utf8), fileName: "package-lock.json").packages.first)
        #expect(entry.kind == .registry)
    }

    /// Whatever another reader of the same file would read differently is refused.
    @Test func readerDisagreementsAreRefused() {
        let entry = "\"lodash@^4.17.21\":\n  version: \"4.17.21\"\n  resolution: \"lodash@npm:4.17.21\"\n  checksum: 0000\n"
        #expect(refusal("__metadata:\n\n" + entry, "yarn.lock").contains("not a Yarn Berry lockfile"))
        #expect(refusal("__metadata:\n  version: 8\n\n" + entry + "  resolved: \"https://evil.example/x.tgz\"\n", "yarn.lock")
            .contains("carries Yarn 1's `resolved`"))
        // A merge key needs no anchor (and one with an anchor is refused for the anchor).
        let merge = "lockfileVersion: '9.0'\n<<: {packages: {lodash@4.17.21: {resolution: {integrity: sha512-EVIL}}}}\n"
        #expect(refusal(merge, "pnpm-lock.yaml").contains("merge keys"))
        let twice = #"{"lockfileVersion": 1, "packages": {"a": ["a@1.0.0", "", {}, "sha512-A"], "a": ["a@1.0.0", "", {}, "sha512-B"]}}"#
        #expect(refusal(twice, "bun.lock").contains("names a key twice"))
    }

    /// pnpm reads its lockfile in ways a plain YAML reader does not: each is refused or bound.
    @Test func pnpmReadingsThatDivergeAreRefusedOrBound() throws {
        let head = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      evil:\n        specifier: 1.0.0\n        version: 1.0.0\n"
        let evil = "      resolution: {tarball: 'http://127.0.0.1:9/evil-1.0.0.tgz'}\n"
        #expect(refusal(head + "snapshots:\n  evil@1.0.0:\n" + evil, "pnpm-lock.yaml").contains("carries `resolution`"))
        #expect(refusal(head + "snapshots:\n  evil@1.0.0: {}\n", "pnpm-lock.yaml").contains("has no packages entry evil@1.0.0"))
        #expect(refusal(head + "# <<<<<<< ours\n# =======\n# >>>>>>> theirs\n", "pnpm-lock.yaml").contains("merge-conflict markers"))
        #expect(refusal(head + "# deprecated: ======= use v2\n", "pnpm-lock.yaml") == "accepted", "one marker alone is not a conflict to pnpm")
        let git = head + "packages:\n  evil@1.0.0:\n    resolution: {type: git, repo: 'https://e.test/e.git', commit: abc, integrity: sha512-x}\n"
        #expect(refusal(git, "pnpm-lock.yaml").contains("resolves from git or a folder"))
        let patchedV9 = head + "packages:\n  pad@1.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  pad@1.0.0(patch_hash=abc): {}\n"
        let patchedLock = try LockfileReader().read(Data(patchedV9.utf8), fileName: "pnpm-lock.yaml")
        // Found by review: the base is the registry's bytes pnpm patches; only the patch is listed.
        #expect(patchedLock.packages.first { $0.key == "pad@1.0.0" }?.kind == .registry)
        #expect(patchedLock.packages.first { $0.key == "pad@1.0.0 (patch)" }.map { "\($0.kind)".contains("the patch itself is not verified") } == true)
        #expect(refusal(#"{"lockfileVersion": 1, "packages": [], "dependencies": {"a": {"version": "1.0.0"}}}"#, "package-lock.json")
            .contains("packages is not an object"))
        #expect(refusal(#"{"lockfileVersion": 1, "packages": {}, "dependencies": {"a": {"version": "1.0.0"}}}"#, "package-lock.json")
            .contains("packages is empty"))
        #expect(refusal(head + "packages:\n  evil@1.0.0:\n    resolution: !bad {integrity: sha512-x}\n", "pnpm-lock.yaml").contains("YAML tag !bad"))

        let bare = head + "packages:\n  evil@1.0.0:\n" + evil.replacingOccurrences(of: "      ", with: "    ")
            + "  pad@1.0.0(patch_hash=abc):\n    resolution: {integrity: sha512-x}\n"
        let lock = try LockfileReader().read(Data(bare.utf8), fileName: "pnpm-lock.yaml")
        let byKey = Dictionary(uniqueKeysWithValues: lock.packages.map { ($0.key, $0) })
        // A registry version whose bytes pnpm would not check (no integrity) stays a registry entry, and fails.
        #expect(byKey["evil@1.0.0"]?.kind == .registry && byKey["evil@1.0.0"]?.integrity == nil)
        #expect(byKey["pad@1.0.0(patch_hash=abc)"]?.kind == .registry)
        #expect(byKey["pad@1.0.0(patch_hash=abc) (patch)"].map { "\($0.kind)".contains("pnpm applies the project") } == true)
    }

    @Test func depthCountAndSizeLimits() {
        let deep = String(repeating: "{\"dependencies\": {\"a\": ", count: 40) + "{}" + String(repeating: "}}", count: 40)
        #expect(refusal("{\"lockfileVersion\": 1, \"dependencies\": {\"a\": \(deep)}}", "package-lock.json").contains("deeper"))
        var few = LockfileLimits()
        few.maxEntries = 2
        let three = #"{"lockfileVersion": 3, "packages": {"node_modules/a": {}, "node_modules/b": {}, "node_modules/c": {}}}"#
        #expect(refusal(three, "package-lock.json", limits: few).contains("more than 2"))
        var small = LockfileLimits()
        small.maxBytes = 10
        #expect(refusal(three, "package-lock.json", limits: small).contains("larger than 10 bytes"))
    }

    /// A lockfile named on the command line is read bounded and never from a FIFO (found by review).
    @Test func aFIFOOrAFileOverTheLimitIsRefusedWithoutReadingIt() throws {
        try withScratch("lockfile-fifo") { folder in
            let fifo = folder.appendingPathComponent("package-lock.json")
            #expect(mkfifo(fifo.path, 0o600) == 0)
            let error = #expect(throws: (any Error).self) { try LockfileReader().read(contentsOf: fifo) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("cannot read \(fifo.path): not a regular file"))
            let big = folder.appendingPathComponent("yarn.lock")
            try Data(count: 64).write(to: big)
            var small = LockfileLimits()
            small.maxBytes = 10
            let tooBig = #expect(throws: (any Error).self) { try LockfileReader(limits: small).read(contentsOf: big) }
            #expect("\(tooBig.map { "\($0)" } ?? "")".contains("64 bytes exceeds the limit of 10"))
        }
    }

    @Test func yamlAliasBombIsRefusedBeforeItIsRead() {
        var yaml = "lockfileVersion: '9.0'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(refusal(yaml, "pnpm-lock.yaml").contains("line 2: YAML anchors"))
    }

    /// Found by review: anchored collections inside a mapping key made Yams hash the expanded tree
    /// while checking for duplicate keys, before any budget applied (k = 8: 19 s; k = 12: days).
    @Test(arguments: [("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"), ("yarn.lock", "__metadata:\n  version: 8\n")])
    func anchorsInAMappingKeyAreRefusedAtOnce(_ file: String, _ header: String) {
        let levels = ["&l0 [x, x, x, x, x, x, x, x, x, x]"] + (1..<12).map { "&l\($0) [" + Array(repeating: "*l\($0 - 1)", count: 10).joined(separator: ", ") + "]" }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(refusal(header + "? [" + levels.joined(separator: ", ") + "]\n: 1\n", file).contains("YAML anchors"))
        // Found by a re-attack: `?` right before the anchor, a key indicator inside flow collections.
        #expect(refusal(header + "? [" + levels.map { "?" + $0 }.joined(separator: ", ") + "]\n: 1\n", file).contains("YAML anchors"))
        #expect(clock.now - start < .seconds(10))  // a net, not a measure: unbounded before the fix
        // Anchors wherever a node may start; a blank then `&` then a name is enough.
        for text in ["a: &x b\n", "- &x\n  - 1\n", "a: [&x 1]\n", "a: {b: &x 1}\n", "a: [1,&x 2]\n", #"{"a":&x 1}"#, "&x a: 1\n",
                     "a: !!str &x b\n", "a: [?&x b]\n", "a: {?&x b: 1}\n"] {
            #expect(refusal(header + text, file).contains("YAML anchors"), "\(text)")
        }
    }

    /// Found by a re-attack: nested collection keys made Yams hash each level's keys whole
    /// (2 MB took 133 s). An explicit key that is not text is refused before libyaml reads it; an
    /// implicit collection key (at most 1024 characters) is read, then refused as not a string.
    @Test(arguments: [("pnpm-lock.yaml", "lockfileVersion: '9.0'\n"), ("yarn.lock", "__metadata:\n  version: 8\n")])
    func collectionKeysAreRefusedAtOnce(_ file: String, _ header: String) {
        let nested = String(repeating: "{? ", count: 900) + "[a, a]" + String(repeating: " : v}", count: 900)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(refusal(header + "x: " + nested + "\n", file).contains("explicit YAML key"))
        #expect(clock.now - start < .seconds(10))  // a net, not a measure
        for key in ["? [a]\n: 1\n", "x:\n  ?\n    - a\n  : 1\n", "- ? {a: b}\n  : 1\n", "x: [? [a]]\n"] {
            #expect(refusal(header + key, file).contains("explicit YAML key"), "\(key)")
        }
        for key in ["[a]: 1\n", "x: {[a]: 1}\n", "{a: b} : 1\n"] {
            #expect(refusal(header + key, file).contains("not a string"), "\(key)")
        }
    }

    /// Found by a re-attack: Yarn and pnpm write keys over 1024 characters as `? "…"`, the `:` on
    /// the next line; and `]:` inside text (an IPv6 registry address) is not a key.
    @Test func longTextKeysAndBracketsInTextAreRead() {
        let key = (0..<70).map { "foo@npm:^1.0.\($0)" }.joined(separator: ", ")
        let berry = "__metadata:\n  version: 8\n\n? \"\(key)\"\n: version: 1.0.0\n  resolution: \"foo@npm:1.0.0\"\n"
        #expect(!refusal(berry, "yarn.lock").contains("key"), "\(refusal(berry, "yarn.lock"))")
        let pnpm = "lockfileVersion: '9.0'\npackages:\n  foo@1.0.0:\n    resolution: {integrity: sha512-AAAA, tarball: 'http://[::1]:4873/foo/-/foo-1.0.0.tgz'}\n"
        #expect(!refusal(pnpm, "pnpm-lock.yaml").contains("key"), "\(refusal(pnpm, "pnpm-lock.yaml"))")
    }

    /// What real lockfiles hold: `&` inside a URL, Yarn's `os=darwin & cpu=arm64`; and inside a word.
    @Test func ampersandsThatCannotBeAnchorsAreNotRefused() {
        for text in ["x:\n  url: https://r.test/a.tgz?a=1&b=2\n", "x:\n  conditions: os=darwin & cpu=arm64\n", "x: a&b\n"] {
            #expect(!refusal("lockfileVersion: '9.0'\n" + text, "pnpm-lock.yaml").contains("anchor"), "\(text)")
        }
    }

    @Test func unknownFormatsAndVersionsAreRefused() {
        #expect(refusal("{}", "bun.lockb").contains("binary lockfile"))
        #expect(refusal("lockfileVersion: '5.4'\n", "pnpm-lock.yaml").contains("not supported"))
        #expect(refusal(#"{"lockfileVersion": 7}"#, "package-lock.json").contains("lockfileVersion must be 1, 2 or 3"))
        #expect(refusal("{}", "Gemfile.lock").contains("not a lockfile"))
    }
}

/// Found by review: resolving edges walks up each dependent's key, so one bun.lock key of 1,000
/// long segments with 50 dependencies took 2 minutes of CPU. Such a lockfile is refused at once.
@Suite struct CostlyEdgeTests {
    @Test(arguments: ["bun.lock", "package-lock.json"])
    func keysTooCostlyToResolveAreRefused(file: String) {
        // bun.lock keys have no depth limit of their own; package-lock.json paths stop at 64 names.
        let segments = (0..<(file == "bun.lock" ? 1_000 : 60)).map { "p\($0)" + String(repeating: "x", count: 200) }
        let deps = (0..<(file == "bun.lock" ? 10 : 200)).map { #""missing\#($0)": "^1""# }.joined(separator: ", ")
        let text = file == "bun.lock"
            ? #"{"lockfileVersion": 1, "workspaces": {"": {}}, "packages": {"\#(segments.joined(separator: "/"))": ["p999@1.0.0", "", {"dependencies": {\#(deps)}}, "sha512-x"]}}"#
            : #"{"lockfileVersion": 3, "packages": {"": {}, "\#(segments.map { "node_modules/" + $0 }.joined(separator: "/"))": {"version": "1.0.0", "dependencies": {\#(deps)}}}}"#
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data(text.utf8), fileName: file) }
        #expect(error?.message.contains("refusing a pathological lockfile") == true, "\(error?.message.prefix(300) ?? "")")
    }
}

/// Found by review: a pnpm `lockfileVersion` read as a Double trapped when converted to Int.
@Suite struct PnpmVersionTests {
    @Test(arguments: ["'1e400'", "nan", "'9e99'", "'-9.0'", "'9.0.x'", "'٩.0'", "''"])
    func anUnreadableVersionIsRefusedNotATrap(version: String) {
        let error = #expect(throws: LockfileError.self) { try LockfileReader().read(Data("lockfileVersion: \(version)\n".utf8), fileName: "pnpm-lock.yaml") }
        #expect(error?.message.contains("is not supported (6.x or 9.x)") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: ["'9.0'", "'6.0'", "9", "'6.1'"])
    func supportedVersionsAreRead(version: String) throws {
        _ = try LockfileReader().read(Data("lockfileVersion: \(version)\n".utf8), fileName: "pnpm-lock.yaml")
    }
}
