import FixtureTesting
import Foundation
import Publish
import Testing

/// The independent witness: check-jsonschema's vendored GitHub workflow schema (offline).
/// Skipped with a printed reason when `make deps` has not made the venv, unless REQUIRE_VENV is set.
@Suite(.requires(.venvTool("check-jsonschema"))) struct WorkflowSchemaTests {
    static let tool = Repository.venv.appendingPathComponent("bin/check-jsonschema")

    static func validate(_ tool: URL, _ file: URL) async throws -> ProcessResult {
        try await ProcessRunner.run(tool, ["--builtin-schema", "vendor.github-workflows", file.path])
    }

    @Test func emittedWorkflowValidatesAgainstTheGitHubWorkflowSchema() async throws {
        let tool = Self.tool
        try await withScratch { (project) async throws in
            _ = try WorkflowEmitter().emit(into: project, force: false)
            let result = try await Self.validate(tool, WorkflowEmitter().destination(in: project))
            #expect(result.status == 0, "check-jsonschema: \(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("ok"))
        }
    }

    @Test(arguments: [
        ("id-token: write", "id-token: writ"),
        ("contents: read", "contents: reed"),
        ("attestations: write", "attestations: yes-please"),
    ])
    func aBrokenPermissionValueIsCaught(original: String, broken: String) async throws {
        let tool = Self.tool
        try await withScratch { (folder) async throws in
            #expect(WorkflowTemplate.npmLibrary.contains(original))
            let file = folder.appendingPathComponent("broken.yml")
            try Data(WorkflowTemplate.npmLibrary.replacingOccurrences(of: original, with: broken).utf8).write(to: file)
            let result = try await Self.validate(tool, file)
            #expect(result.status != 0, "check-jsonschema accepted '\(broken)'")
            #expect((result.stdout + result.stderr).contains("permissions"))
        }
    }
}
