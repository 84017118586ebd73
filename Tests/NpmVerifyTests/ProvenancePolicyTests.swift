import FixtureTesting
import Foundation
@testable import NpmVerify
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// The provenance policy file: strict parsing, `*` globs, per-package rules.
@Suite struct ProvenancePolicyTests {
    static func policy(_ json: String) throws -> ProvenancePolicy {
        try ProvenancePolicy(json: Data(json.utf8), source: "verify-policy.json")
    }

    static func malformed(_ json: String) -> String? {
        let error = #expect(throws: NpmVerifyError.self) { try policy(json) }
        #expect(error?.code == .malformedPolicy)
        return error?.message
    }

    /// A key given twice would let a strict first value be overridden unseen.
    @Test func aKeyGivenTwiceIsRefused() {
        #expect(Self.malformed(#"{"repository": "https://github.com/o/r", "repository": "*"}"#)?.contains("twice") == true)
        #expect(Self.malformed(#"{"packages": {"@m/*": {"requireProvenance": true}, "@m/*": {"requireProvenance": false}}}"#) != nil)
    }

    @Test func unknownTopLevelKeyIsRefused() {
        let message = Self.malformed(#"{"requireProvenance": true, "repositry": "https://github.com/a/b"}"#)
        #expect(message?.contains("unknown key \"repositry\"") == true)
        #expect(message?.contains("verify-policy.json") == true)
    }

    @Test func unknownKeyInsideAPackageEntryIsRefused() {
        let message = Self.malformed(#"{"packages": {"@mochi/*": {"workflw": "x.yml"}}}"#)
        #expect(message?.contains("packages[\"@mochi/*\"].workflw") == true)
        #expect(Self.malformed(#"{"packages": {"a": {"packages": {}}}}"#)?.contains("unknown key") == true)
    }

    @Test func wrongTypesAreRefused() {
        #expect(Self.malformed(#"{"requireProvenance": "yes"}"#)?.contains("true or false") == true)
        #expect(Self.malformed(#"{"ref": 3}"#)?.contains("non-empty string") == true)
        #expect(Self.malformed(#"{"ref": ""}"#)?.contains("non-empty string") == true)
        #expect(Self.malformed(#"{"packages": []}"#) != nil)
        #expect(Self.malformed(#"[]"#) != nil)
        #expect(Self.malformed(#"{"ref": "#) != nil)
    }

    @Test(arguments: [
        ("refs/tags/v*", "refs/tags/v1.0.0", true), ("refs/tags/v*", "refs/heads/main", false),
        ("refs/tags/v*", "refs/tags/v", true), ("@mochi/*", "@mochi/example", true), ("@mochi/*", "@mochix/example", false),
        ("*", "", true), ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "acb", false), ("ab*ba", "aba", false),
        ("exact", "exact", true), ("exact", "exactly", false), (".github/workflows/*.yml", ".github/workflows/pub.yml", true),
        (".github/workflows/*.yml", ".github/workflows/pub.yaml", false),
        // Bytes, not Unicode equivalence: a Kelvin sign (U+212A) is canonically a `K`, but not here.
        ("refs/heads/Kitchen", "refs/heads/\u{212A}itchen", false), ("refs/heads/K*", "refs/heads/\u{212A}itchen", false),
        ("*/Kitchen", "refs/heads/\u{212A}itchen", false), ("caf\u{E9}", "cafe\u{301}", false), ("*\u{E9}", "cafe\u{301}", false),
    ])
    func globMatchesOnlyWithStar(_ pattern: String, _ value: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(value) == expected)
    }

    @Test func packageEntriesOverrideTheTopLevelAndTheMostSpecificWins() throws {
        let policy = try Self.policy(#"""
            {"requireProvenance": true, "ref": "refs/tags/v*",
             "packages": {"@mochi/*": {"repository": "https://github.com/mochi-lang/mochi"},
                          "@mochi/example*": {"ref": "refs/heads/main"},
                          "@mochi/example": {"requireProvenance": false},
                          "left-pad": {"requireProvenance": false}}}
            """#)
        #expect(policy.requiresProvenance("anything"))
        #expect(!policy.requiresProvenance("left-pad"))
        #expect(!policy.requiresProvenance("@mochi/example"))
        #expect(policy.rules(for: "@mochi/example").pins[.ref] == GlobPattern("refs/tags/v*"))
        #expect(policy.rules(for: "@mochi/example-two").pins[.ref] == GlobPattern("refs/heads/main"))
        #expect(policy.rules(for: "@mochi/runtime").pins[.repository] == GlobPattern("https://github.com/mochi-lang/mochi"))
        #expect(policy.rules(for: "@mochi/runtime").pins[.ref] == GlobPattern("refs/tags/v*"))
        #expect(policy.rules(for: "other").pins[.repository] == nil)
    }

    @Test func missingProvenanceFailsOnlyWhenRequired() throws {
        let policy = try Self.policy(#"{"requireProvenance": true, "packages": {"legacy": {"requireProvenance": false}}}"#)
        let error = #expect(throws: NpmVerifyError.self) { try policy.evaluate(nil, name: "@mochi/example", version: "1.0.0") }
        #expect(error?.code == .missingProvenance)
        #expect(error?.message.hasPrefix("@mochi/example@1.0.0: ") == true)
        try policy.evaluate(nil, name: "legacy", version: "0.1.0")
    }

    @Test func mismatchNamesPackageFieldAndBothValues() throws {
        let policy = try Self.policy(#"{"repository": "https://github.com/mochi-lang/mochi"}"#)
        let identity = ProvenanceIdentity(issuer: ProvenancePolicy.gitHubActionsIssuer, repository: "https://github.com/other/repo")
        let error = #expect(throws: NpmVerifyError.self) { try policy.evaluate(identity, name: "@mochi/example", version: "1.0.0") }
        #expect(error?.code == .provenanceMismatch)
        #expect(error?.message == "@mochi/example@1.0.0: provenance repository is https://github.com/other/repo, policy requires https://github.com/mochi-lang/mochi")
    }

    /// Found by review: `*` reached across the `@` before the ref, so a branch named
    /// `x@refs/tags/v9` passed a builder pinned to tags. A star stays on its side of an `@` the
    /// pattern writes; a pattern without one still allows any ref.
    @Test func aBuilderPinnedToTagsRefusesABranchWhoseNameHoldsATag() throws {
        let workflow = "https://github.com/victim/repo/.github/workflows/publish.yml"
        let tags = try Self.policy(#"{"builder": "https://github.com/victim/repo/.github/workflows/*@refs/tags/v*"}"#)
        func builtBy(_ builder: String) -> ProvenanceIdentity { ProvenanceIdentity(issuer: ProvenancePolicy.gitHubActionsIssuer, builder: builder) }
        try tags.evaluate(builtBy(workflow + "@refs/tags/v1.2.0"), name: "a", version: "1.0.0")
        for builder in [workflow + "@refs/heads/x@refs/tags/v9", workflow + "@refs/tags/v1.yml@refs/heads/main", workflow + "@refs/heads/main"] {
            let error = #expect(throws: NpmVerifyError.self) { try tags.evaluate(builtBy(builder), name: "a", version: "1.0.0") }
            #expect(error?.code == .provenanceMismatch, "\(builder)")
        }
        let anyRef = try Self.policy(#"{"builder": "https://github.com/victim/repo/*"}"#)
        try anyRef.evaluate(builtBy(workflow + "@refs/heads/x@y"), name: "a", version: "1.0.0")
    }

    /// Another CI provider's token could carry a github.com repository claim its users control: a
    /// policy pinning a github.com repository and no issuer accepts GitHub Actions' issuer only.
    @Test func aGitHubRepositoryPinWithoutAnIssuerPinAcceptsOnlyGitHubActions() throws {
        let policy = try Self.policy(#"{"repository": "https://github.com/mochi-lang/mochi"}"#)
        let repository = "https://github.com/mochi-lang/mochi"
        try policy.evaluate(ProvenanceIdentity(issuer: ProvenancePolicy.gitHubActionsIssuer, repository: repository), name: "a", version: "1.0.0")
        for issuer in ["https://ci.example.com", nil] {
            let error = #expect(throws: NpmVerifyError.self) {
                try policy.evaluate(ProvenanceIdentity(issuer: issuer, repository: repository), name: "a", version: "1.0.0")
            }
            #expect(error?.message.contains("pins a repository on github.com") == true, "\(String(describing: error))")
        }
        let pinned = try Self.policy(#"{"repository": "https://github.com/mochi-lang/mochi", "issuer": "https://ci.example.com"}"#)
        try pinned.evaluate(ProvenanceIdentity(issuer: "https://ci.example.com", repository: repository), name: "a", version: "1.0.0")
        // GitLab fills the same id extensions with its own numbers: an id pin alone means GitHub's.
        let byID = try Self.policy(#"{"repositoryId": "1296269"}"#)
        let error = #expect(throws: NpmVerifyError.self) {
            try byID.evaluate(ProvenanceIdentity(issuer: "https://gitlab.com", repositoryID: "1296269"), name: "a", version: "1.0.0")
        }
        #expect(error?.message.contains("pins a repository id") == true, "\(String(describing: error))")
        try byID.evaluate(ProvenanceIdentity(issuer: ProvenancePolicy.gitHubActionsIssuer, repositoryID: "1296269"), name: "a", version: "1.0.0")
    }

    @Test func exampleFileInPolicyDocumentParses() throws {
        let url = Repository.consumerFixture("POLICY.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let start = try #require(text.range(of: "```json\n"))
        let end = try #require(text[start.upperBound...].range(of: "```"))
        let policy = try ProvenancePolicy(json: Data(text[start.upperBound..<end.lowerBound].utf8))
        #expect(policy.requiresProvenance("@mochi/example"))
    }
}

extension ProvenancePolicyTests {
    @Test(arguments: ["policy-pass", "policy-fail"])
    func consumerFixturePoliciesParse(_ fixture: String) throws {
        let url = Repository.consumerFixture("\(fixture)/verify-policy.json")
        let policy = try ProvenancePolicy.load(contentsOf: url)
        #expect(policy.requiresProvenance("@mochi/example"))
        #expect(policy.defaults.pins[.repository] != nil)
    }
}

/// The workflow path drops exactly the certificate's `@ref`, else whatever follows the last `@`:
/// a file called `publish.yml@evil.yml` must not pass for `publish.yml`.
@Suite struct WorkflowPathTests {
    @Test(arguments: [
        ("https://github.com/o/r/.github/workflows/publish.yml@refs/heads/main", "refs/heads/main", ".github/workflows/publish.yml"),
        ("https://github.com/o/r/.github/workflows/publish.yml@evil.yml@refs/heads/attacker", "refs/heads/attacker",
         ".github/workflows/publish.yml@evil.yml"),
        ("https://github.com/o/r/.github/workflows/publish.yml@evil.yml@refs/heads/attacker", nil, ".github/workflows/publish.yml@evil.yml"),
        ("https://github.com/o/r/.github/workflows/p.yml@refs/heads/a@b", "refs/heads/a@b", ".github/workflows/p.yml"),
        ("https://github.com/o/r/.github/workflows/p.yml", nil, ".github/workflows/p.yml"),
    ] as [(String, String?, String)])
    func refIsRemovedExactly(_ uri: String, _ ref: String?, _ expected: String) {
        #expect(ProvenanceIdentity.workflowPath(uri, ref: ref) == expected)
    }
}
