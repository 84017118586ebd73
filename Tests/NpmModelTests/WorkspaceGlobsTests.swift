import NpmModel
import SafeJSON
import Testing

/// The declared workspaces, as @npmcli/map-workspaces reads the globs (found by a re-attack:
/// exclusions this reader did not understand made folders workspaces that npm audits).
@Suite struct WorkspaceGlobsTests {
    static func globs(_ patterns: [String]) -> WorkspaceGlobs {
        WorkspaceGlobs(.object(["workspaces": .array(patterns.map { .string($0) })]))
    }

    @Test func patternsApplyInOrderAndBangsNegateWhenOdd() {
        #expect(Self.globs(["packages/*", "!packages/b"]).contains("packages/a"))
        #expect(!Self.globs(["packages/*", "!packages/b"]).contains("packages/b"))
        #expect(Self.globs(["packages/*", "!!packages/b"]).contains("packages/b"), "two bangs do not negate")
        #expect(!Self.globs(["packages/*", "!!!packages/b"]).contains("packages/b"))
        #expect(Self.globs(["packages/**", "!packages/b/**", "packages/b/a"]).contains("packages/b/a"), "a later include matching the negation drops it")
        // Found by a re-attack: otherwise a negation excludes whatever the order, as map-workspaces reads it.
        #expect(!Self.globs(["!packages/b", "packages/*"]).contains("packages/b"))
        #expect(!Self.globs(["packages/*", "!packages/b", "packages/{b,c}"]).contains("packages/b"))
        #expect(Self.globs(["packages/*", "!packages/b", "packages/{b,c}"]).contains("packages/c"))
    }

    @Test func bracesClassesAndLiteralCharactersMatch() {
        #expect(Self.globs(["packages/{a,b}"]).contains("packages/b"))
        #expect(!Self.globs(["packages/{a,b}"]).contains("packages/c"))
        #expect(Self.globs(["packages/[ab]x"]).contains("packages/bx"))
        #expect(Self.globs(["packages/@scope/*"]).contains("packages/@scope/x"))
        #expect(Self.globs(["packages/c++"]).contains("packages/c++"))
        #expect(Self.globs(["/packages/*", "./apps/*"]).contains("packages/a") && Self.globs(["./apps/*"]).contains("apps/a"))
        #expect(!Self.globs(["././packages/*"]).contains("packages/a"), "npm drops one ./ only")
    }

    @Test func whatIsNeverAWorkspace() {
        #expect(!Self.globs(["vendor/**"]).contains("vendor/node_modules/x"))
        #expect(!Self.globs(["packages/*"]).contains("packages/node_modules"))
        #expect(!Self.globs(["packages/*"]).contains("packages/.hidden"))
        #expect(!Self.globs(["packages/*", "!packages/+(evil)"]).contains("packages/a"), "an exclusion we cannot read excludes all")
        #expect(!Self.globs(["packages/*(a|b)"]).contains("packages/a"), "an inclusion we cannot read includes nothing")
        // Found by a re-attack: npm's own lockfile for `packages/+(a|b)` was refused.
        #expect(Self.globs(["packages/+(a|b)"]).contains("packages/b") && Self.globs(["packages/@(a)"]).contains("packages/a"))
        #expect(!Self.globs(["packages/+(a|b)"]).contains("packages/c") && !Self.globs(["packages/@(a)"]).contains("packages"))
    }

    /// Refusing a folder as a workspace member fails closed on unread globs, but only where they
    /// could reach it (found by review: `../elsewhere` made every folder a member).
    @Test func mayContainStaysNearWhatAGlobCouldReach() {
        #expect(!Self.globs(["packages/*", "../elsewhere"]).mayContain("tools/x"))
        #expect(Self.globs(["packages/{a,b"]).mayContain("packages/a") && !Self.globs(["packages/{a,b"]).mayContain("tools/x"))
        #expect(Self.globs(["shared/../shared"]).mayContain("shared") && !Self.globs(["shared/../shared"]).mayContain("tools/x"))
    }
}
