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

    @Test func permissionsAreReadContentsAndWriteIDTokenAndAttestationsOnly() throws {
        let permissions = try #require(try Self.parsed()["permissions"] as? [String: String])
        #expect(permissions == ["contents": "read", "id-token": "write", "attestations": "write"])
    }

    @Test func checksOutSetsUpNode22WithTheRegistryAndBuilds() throws {
        let steps = try Self.steps()
        #expect(steps.first?["uses"] as? String == "actions/checkout@v4")
        let node = try #require(steps.first { $0["uses"] as? String == "actions/setup-node@v4" })
        let with = try #require(node["with"] as? [String: Any])
        #expect(with["node-version"] as? String == "22")
        #expect(with["registry-url"] as? String == "https://registry.npmjs.org")
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
        // npm's OIDC exchange arrived in npm 11.5.1; node 22 bundles npm 10, which would fail with ENEEDAUTH.
        let upgrade = try #require(steps.firstIndex { $0["run"] as? String == "npm install -g npm@^11.5.1" })
        let build = try #require(steps.firstIndex { $0["run"] as? String == "mochi build --target=npm-library" })
        let publishIndex = try #require(steps.firstIndex { ($0["run"] as? String)?.hasPrefix("npm publish") == true })
        #expect(upgrade < publishIndex && build < publishIndex)
    }

    @Test func attestsTheDistFilesWithAttestBuildProvenanceV2() throws {
        let attest = try #require(try Self.steps().first { ($0["uses"] as? String)?.hasPrefix("actions/attest-build-provenance") == true })
        #expect(attest["uses"] as? String == "actions/attest-build-provenance@v2")
        #expect((attest["with"] as? [String: Any])?["subject-path"] as? String == "target/ts/npm-library/dist/**")
    }
}
