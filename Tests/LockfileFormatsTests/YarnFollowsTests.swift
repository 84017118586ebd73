import Foundation
import LockfileFormats
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
