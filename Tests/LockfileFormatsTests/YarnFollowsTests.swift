import Foundation
import LockfileFormats
import SafeJSON
import Testing

/// Found by review: Yarn follows a lockfile's block whatever its descriptors' ranges say, and reads
/// fields beyond version, resolved and integrity. A block locked outside a range, or carrying a
/// field Yarn would follow elsewhere, refuses the lockfile.
@Suite struct YarnFollowsTests {
    static func classic(_ descriptor: String = "\"@m/r@^1.2.0\"", version: String = "1.2.0", extra: String = "") -> String {
        """
        # yarn lockfile v1


        \(descriptor):
          version "\(version)"
          resolved "https://registry.yarnpkg.com/@m/r/-/r-\(version).tgz"
          integrity sha512-x\(extra)

        """
    }

    static func refusal(_ text: String, _ file: String = "yarn.lock") -> String {
        do { _ = try LockfileReader().read(Data(text.utf8), fileName: file); return "accepted" } catch { return "\(error)" }
    }

    @Test func aClassicBlockLockedOutsideARangeIsRefused() {
        #expect(Self.refusal(Self.classic()) == "accepted")
        #expect(Self.refusal(Self.classic(version: "1.0.0")).contains("@m/r@^1.2.0 is locked at 1.0.0, which its range does not allow"))
        #expect(Self.refusal(Self.classic("\"@m/r@^1.2.0\", \"@m/r@~1.0.0\"", version: "1.2.0")).contains("@m/r@~1.0.0 is locked at 1.2.0"))
        #expect(Self.refusal(Self.classic("\"@m/r@latest\"", version: "1.0.0")) == "accepted", "a tag says no range")
    }

    @Test(arguments: ["\n  name \"@m/other\"", "\n  uid \"9.9.9\"", "\n  registry \"yarn\"", "\n  prebuiltVariants:\n    linux \"x\""])
    func aFieldYarnWouldFollowIsRefused(extra: String) {
        let refusal = Self.refusal(Self.classic(extra: extra))
        #expect(refusal != "accepted" && (refusal.contains("Yarn would follow it") || refusal.contains("prebuiltVariants")), "\(refusal)")
    }

    @Test func fieldsThatSayWhatTheBlockSaysAreAccepted() {
        #expect(Self.refusal(Self.classic(extra: "\n  name \"@m/r\"\n  uid \"1.2.0\"\n  registry \"npm\"")) == "accepted")
    }

    @Test func aBerryEntryLockedOutsideItsRangeIsRefused() {
        let berry = { (version: String) in
            "__metadata:\n  version: 8\n\n\"@m/r@npm:^1.2.0\":\n  version: \(version)\n  resolution: \"@m/r@npm:\(version)\"\n  checksum: 10c0/00\n"
        }
        #expect(Self.refusal(berry("1.2.0")) == "accepted")
        #expect(Self.refusal(berry("1.0.0")).contains("@m/r@npm:^1.2.0 is locked at 1.0.0"))
    }

    /// Bun installs the version a key holds whatever range reaches it.
    @Test func aBunEntryLockedOutsideARangeReachingItIsRefused() {
        let bun = { (version: String) in
            #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "^1.0.0"}}}, "packages": {"a": ["a@1.0.0", "", {"dependencies": {"r": "^1.2.0"}}, "sha512-x"], "r": ["r@\#(version)", "", {}, "sha512-y"]}}"#
        }
        #expect(Self.refusal(bun("1.2.0"), "bun.lock") == "accepted")
        #expect(Self.refusal(bun("1.0.0"), "bun.lock").contains("a asks for r@^1.2.0 (dependencies), and the lockfile gives it r at 1.0.0"), "\(Self.refusal(bun("1.0.0"), "bun.lock"))")
    }
}

/// Found by review: the range rules refused lockfiles their package managers write for the
/// project's own overrides and resolutions, and pnpm's lockfile had readings they missed.
@Suite struct LockedRangeReadingTests {
    static func refusal(_ text: String, _ file: String, project: String? = nil) -> String {
        do {
            _ = try LockfileReader().read(Data(text.utf8), fileName: file, project: project.map { try! JSONValue.parse(Data($0.utf8)) })
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test func theProjectsOwnOverridesExcuseAVersionOutsideARange() {
        let yarn = "# yarn lockfile v1\n\n\n\"bar@2.0.0\", \"bar@^1.0.0\":\n  version \"2.0.0\"\n  resolved \"https://registry.yarnpkg.com/bar/-/bar-2.0.0.tgz\"\n  integrity sha512-x\n"
        #expect(Self.refusal(yarn, "yarn.lock").contains("bar@^1.0.0 is locked at 2.0.0"))
        #expect(Self.refusal(yarn, "yarn.lock", project: #"{"resolutions": {"bar": "2.0.0"}}"#) == "accepted")
        // Found by review: the override's own range holds (a resolution to 1.2.0 excused 1.0.0), and
        // only the project's fields count: not a lockfile's own overrides, nor a scoped key.
        #expect(Self.refusal(yarn, "yarn.lock", project: #"{"resolutions": {"bar": "1.2.0"}}"#).contains("which the project's override 1.2.0 does not allow"))
        #expect(Self.refusal(yarn, "yarn.lock", project: #"{"resolutions": {"left-pad/bar": "2.0.0"}}"#).contains("is locked at 2.0.0"))
        let bun = #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "^1.0.0"}}}, "overrides": {"r": "1.0.0"}, "packages": {"a": ["a@1.0.0", "", {"dependencies": {"r": "^1.2.0"}}, "sha512-x"], "r": ["r@1.0.0", "", {}, "sha512-y"]}}"#
        #expect(Self.refusal(bun, "bun.lock").contains("which that range does not allow"), "the lockfile's own overrides excuse nothing")
        #expect(Self.refusal(bun, "bun.lock", project: #"{"dependencies": {"a": "^1.0.0"}, "overrides": {"r": "1.0.0"}}"#) == "accepted")
    }

    @Test func pnpmPackageEntriesMayNotOverrideTheirSnapshots() {
        let head = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      foo: {specifier: ^1.0.0, version: 1.0.0}\n"
        let laid = head + "packages:\n  foo@1.0.0:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      bar: evil@1.0.0\nsnapshots:\n  foo@1.0.0: {}\n"
        #expect(Self.refusal(laid, "pnpm-lock.yaml").contains("carries dependencies, which pnpm would take over its snapshot's"))
        let moved = head + "packages:\n  foo@1.0.0:\n    resolution: {integrity: sha512-x}\n    version: 0.9.0\nsnapshots:\n  foo@1.0.0: {}\n"
        #expect(Self.refusal(moved, "pnpm-lock.yaml").contains("records version 0.9.0: pnpm would install that, not 1.0.0"))
    }

    @Test func pnpmSnapshotsAreReadOnePeerContextAtATime() throws {
        let text = "lockfileVersion: '9.0'\npackages:\n  foo@1.0.0:\n    resolution: {integrity: sha512-x}\n  bar@1.0.0:\n    resolution: {integrity: sha512-y}\n"
            + "snapshots:\n  foo@1.0.0(react@17.0.2):\n    dependencies:\n      bar: 0.9.0\n  foo@1.0.0(react@18.2.0):\n    dependencies:\n      bar: bar@1.0.0\n  bar@1.0.0: {}\n"
        let foo = try LockfileReader().read(Data(text.utf8), fileName: "pnpm-lock.yaml").packages.first { $0.key == "foo@1.0.0" }
        #expect(foo?.lockedDependencies?["bar"]?.sorted() == ["0.9.0", "1.0.0"])
        let extended = "packageExtensionsChecksum: abc\n" + text
        #expect(try LockfileReader().read(Data(extended.utf8), fileName: "pnpm-lock.yaml").packages.first { $0.key == "foo@1.0.0" }?.namesMayBeExtended == true,
                "package extensions may add names; the versions of declared ones are still checked")
    }

    /// Found by review: pnpm links an importer's `version` whatever its specifier says.
    @Test func aPnpmImporterLockedOutsideItsSpecifierIsRefused() {
        let text = { (version: String) in
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      bar: {specifier: ^1.0.0, version: \(version)}\n"
                + "packages:\n  bar@\(version):\n    resolution: {integrity: sha512-x}\nsnapshots:\n  bar@\(version): {}\n"
        }
        #expect(Self.refusal(text("1.2.0"), "pnpm-lock.yaml") == "accepted")
        #expect(Self.refusal(text("0.9.0"), "pnpm-lock.yaml").contains("importer . asks for bar@^1.0.0 but locks it at 0.9.0"))
        #expect(Self.refusal(text("0.9.0"), "pnpm-lock.yaml", project: #"{"pnpm": {"overrides": {"bar": "0.9.0"}}}"#) == "accepted")
    }

    @Test func aBerryEntryMustInstallTheVersionItRecords() {
        let berry = "__metadata:\n  version: 8\n\n\"bar@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"bar@npm:0.9.0\"\n  checksum: 10c0/00\n"
        #expect(Self.refusal(berry, "yarn.lock").contains("records version 1.0.0 but resolves to bar@npm:0.9.0"))
    }
}
