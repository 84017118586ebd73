import FixtureTesting
import Foundation
import Testing

/// ConsumerFixtures/ci/verify-lockfile.yml against check-jsonschema's vendored GitHub workflow schema.
@Suite(.requires(.venvTool("check-jsonschema"))) struct ConsumerWorkflowTests {
    static let workflow = Repository.consumerFixture("ci/verify-lockfile.yml")

    static func validate(_ file: URL) async throws -> ProcessResult {
        try await ProcessRunner.run(Repository.venv.appendingPathComponent("bin/check-jsonschema"),
                                    ["--builtin-schema", "vendor.github-workflows", file.path])
    }

    @Test func theWorkflowValidatesAndRunsVerifyLockfileIntoUploadSarif() async throws {
        let result = try await Self.validate(Self.workflow)
        #expect(result.status == 0, "check-jsonschema: \(result.stdout) \(result.stderr)")
        let text = try String(contentsOf: Self.workflow, encoding: .utf8)
        #expect(text.contains("verify-lockfile --trusted-root public-good"))
        #expect(text.contains("--format sarif > verify-lockfile.sarif"))
        #expect(text.contains("uses: github/codeql-action/upload-sarif@v3"))
        #expect(text.contains("security-events: write"))
    }

    @Test func aBrokenWorkflowIsCaught() async throws {
        let text = try String(contentsOf: Self.workflow, encoding: .utf8)
        try await withScratch { (folder) async throws in
            let file = folder.appendingPathComponent("broken.yml")
            try Data(text.replacingOccurrences(of: "security-events: write", with: "security-events: upload").utf8).write(to: file)
            let result = try await Self.validate(file)
            #expect(result.status != 0, "check-jsonschema accepted a bad permission")
        }
    }
}
