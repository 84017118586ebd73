import FixtureTesting
import Foundation
import Testing
import Yams

extension Phase12NpmPublish {
    /// `mochi-pkg publish --target=npm-library` writes the canonical workflow: tag-triggered,
    /// `id-token: write`, `npm publish --provenance --access=public`, no npm token anywhere, and
    /// valid under the GitHub workflow schema (check-jsonschema); a broken copy is caught.
    func emitWorkflow() async throws {
        let project = Scratch.path("emit")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: project) }
        let run = try await ProcessRunner.run(Products.executable("mochi-pkg"),
                                              ["publish", "--target=npm-library", "--project", project.path])
        #expect(run.status == 0, "mochi-pkg: \(run.stderr)")

        let emitted = project.appendingPathComponent(".github/workflows/mochi-publish-npm.yml")
        let text = try String(contentsOf: emitted, encoding: .utf8)
        let template = try String(contentsOf: Repository.root.appendingPathComponent(".github/workflows/templates/mochi-publish-npm.yml"),
                                  encoding: .utf8)
        #expect(text == template)
        #expect(!text.contains("NPM_TOKEN") && !text.contains("NODE_AUTH_TOKEN") && !text.contains("secrets."))

        let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
        // Nothing at the workflow level; the publish job alone gets the OIDC token.
        #expect((workflow["permissions"] as? [String: Any])?.isEmpty == true)
        let job = try #require((workflow["jobs"] as? [String: Any])?["publish"] as? [String: Any])
        let permissions = try #require(job["permissions"] as? [String: String])
        #expect(permissions["id-token"] == "write")
        #expect(permissions["contents"] == "read")
        let on = try #require(workflow["on"] as? [String: Any])
        #expect(((on["push"] as? [String: Any])?["tags"] as? [String]) == ["v*"])
        let steps = try #require(job["steps"] as? [[String: Any]])
        let publish = try #require(steps.first { ($0["run"] as? String)?.hasPrefix("npm publish") == true })
        #expect(publish["run"] as? String == "npm publish --provenance --access=public")
        #expect(publish["working-directory"] as? String == "./target/ts/npm-library")
        #expect(steps.contains { ($0["uses"] as? String) == "actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be" })

        guard await Requirement.venvTool("check-jsonschema").isMet() else { return }
        let checker = Repository.venv.appendingPathComponent("bin/check-jsonschema")
        let valid = try await ProcessRunner.run(checker, ["--builtin-schema", "vendor.github-workflows", emitted.path])
        #expect(valid.status == 0, "check-jsonschema: \(valid.stdout)\(valid.stderr)")
        let broken = project.appendingPathComponent("broken.yml")
        try text.replacingOccurrences(of: "id-token: write", with: "id-token: writ").write(to: broken, atomically: true, encoding: .utf8)
        let invalid = try await ProcessRunner.run(checker, ["--builtin-schema", "vendor.github-workflows", broken.path])
        #expect(invalid.status != 0, "a broken permission value passed the schema")
    }
}
