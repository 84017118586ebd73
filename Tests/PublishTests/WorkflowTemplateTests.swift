import Foundation
import Publish
import Testing
import Yams

/// The emitted workflow is the canonical template, and the template is what the seed specifies.
@Suite struct WorkflowTemplateTests {
    static func parsed() throws -> [String: Any] {
        // The basic resolver keeps every scalar a string, as GitHub reads these keys: YAML 1.1's
        // default rules would turn the bare `on` key into the boolean true.
        try #require(try Yams.load(yaml: WorkflowTemplate.npmLibrary, .basic) as? [String: Any])
    }

    static func steps() throws -> [[String: Any]] {
        let jobs = try #require(try parsed()["jobs"] as? [String: Any])
        let publish = try #require(jobs["publish"] as? [String: Any])
        return try #require(publish["steps"] as? [[String: Any]])
    }

    @Test func embeddedTemplateEqualsTheRepositoryFileByteForByte() throws {
        let onDisk = try Data(contentsOf: TestPaths.workflowTemplate)
        #expect(onDisk == Data(WorkflowTemplate.npmLibrary.utf8),
                "Sources/Publish/Workflow/WorkflowTemplate.swift is stale: paste \(TestPaths.workflowTemplate.path) into it")
    }

    @Test func triggersOnVersionTagsOnly() throws {
        let on = try #require(try Self.parsed()["on"] as? [String: Any])
        #expect(Set(on.keys) == ["push"])
        let push = try #require(on["push"] as? [String: Any])
        #expect(push["tags"] as? [String] == ["v*"])
        #expect(push["branches"] == nil)
    }

    static func job() throws -> [String: Any] {
        try #require((try parsed()["jobs"] as? [String: Any])?["publish"] as? [String: Any])
    }

    /// None at the workflow level; the publish job reads contents and writes the ID token and attestations only.
    @Test func onlyThePublishJobHasPermissionsAndOnlyThese() throws {
        #expect((try Self.parsed()["permissions"] as? [String: Any])?.isEmpty == true)
        let permissions = try #require(try Self.job()["permissions"] as? [String: String])
        #expect(permissions == ["contents": "read", "id-token": "write", "attestations": "write"])
    }

    /// Every action is pinned to a full commit SHA: a tag can be moved to other code.
    @Test func everyActionIsPinnedToAFullCommitSHA() throws {
        let uses = try Self.steps().compactMap { $0["uses"] as? String }
        #expect(uses.count == 3)
        for action in uses {
            let ref = action.split(separator: "@").last.map(String.init) ?? ""
            #expect(ref.count == 40 && ref.allSatisfy(\.isHexDigit), "\(action) is not pinned to a commit")
        }
    }

    @Test func checksOutWithoutCredentialsSetsUpNode24WithoutCacheAndBuilds() throws {
        let steps = try Self.steps()
        #expect(steps.first?["uses"] as? String == "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1")
        #expect((steps.first?["with"] as? [String: Any])?["persist-credentials"] as? String == "false")
        let node = try #require(steps.first { $0["uses"] as? String == "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020" })
        let with = try #require(node["with"] as? [String: Any])
        #expect(with["node-version"] as? String == "24")
        #expect(with["registry-url"] as? String == "https://registry.npmjs.org")
        #expect(with["package-manager-cache"] as? String == "false", "setup-node's cache could be poisoned to reach the OIDC token")
        #expect(steps.contains { $0["run"] as? String == "mochi build --target=npm-library" })
    }

    @Test func publishesWithProvenanceFromTheLibraryFolderWithoutAnyToken() throws {
        let steps = try Self.steps()
        let publish = try #require(steps.first { ($0["run"] as? String)?.hasPrefix("npm publish") == true })
        #expect(publish["run"] as? String == "npm publish --provenance --access=public")
        #expect(publish["working-directory"] as? String == "./target/ts/npm-library")
        #expect(publish["env"] == nil, "trusted publishing needs no NODE_AUTH_TOKEN")
        for forbidden in ["NPM_TOKEN", "NODE_AUTH_TOKEN", "secrets."] {
            #expect(!WorkflowTemplate.npmLibrary.contains(forbidden), "the workflow mentions \(forbidden)")
        }
        // npm's OIDC exchange arrived in npm 11.5.1: the job stops before publishing with an older one
        // (nothing is installed from the registry inside the publishing job).
        let npmCheck = try #require(steps.firstIndex { ($0["run"] as? String)?.contains("11.5.1 or later can") == true })
        let build = try #require(steps.firstIndex { $0["run"] as? String == "mochi build --target=npm-library" })
        let tag = try #require(steps.firstIndex { ($0["run"] as? String)?.contains("$GITHUB_REF_NAME") == true })
        let attest = try #require(steps.firstIndex { ($0["uses"] as? String)?.hasPrefix("actions/attest-build-provenance@") == true })
        let publishIndex = try #require(steps.firstIndex { ($0["run"] as? String)?.hasPrefix("npm publish") == true })
        #expect(npmCheck < build && build < tag && tag < attest && attest < publishIndex, "every check comes before the publish")
        #expect(!WorkflowTemplate.npmLibrary.contains("npm install -g"))
    }

    @Test func attestsTheDistFilesWithAttestBuildProvenanceV2() throws {
        let attest = try #require(try Self.steps().first { ($0["uses"] as? String)?.hasPrefix("actions/attest-build-provenance") == true })
        #expect(attest["uses"] as? String == "actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be")
        #expect(WorkflowTemplate.npmLibrary.contains("actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2.4.0"))
        #expect((attest["with"] as? [String: Any])?["subject-path"] as? String == "target/ts/npm-library/dist/**")
    }
}
