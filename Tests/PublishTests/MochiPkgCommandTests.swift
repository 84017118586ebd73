import FixtureTesting
import Foundation
import Publish
import Testing

/// The `mochi-pkg` executable: exit codes, messages, --json, --help.
@Suite struct MochiPkgCommandTests {
    static func run(_ arguments: [String], in directory: URL? = nil) async throws -> ProcessResult {
        try await ProcessRunner.run(try TestPaths.mochiPkg, arguments, in: directory)
    }

    @Test func writesTheWorkflowThenSaysUpToDate() async throws {
        try await withScratch { (project) async throws in
            let first = try await Self.run(["publish", "--target=npm-library", "--project", project.path])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("wrote"))
            let file = project.appendingPathComponent(".github/workflows/mochi-publish-npm.yml")
            #expect(try Data(contentsOf: file) == Data(contentsOf: TestPaths.workflowTemplate))
            let second = try await Self.run(["publish", "--target=npm-library", "--project", project.path, "--json"])
            #expect(second.status == 0)
            #expect(second.stdout.contains(#""outcome":"up-to-date""#))
        }
    }

    @Test func editedWorkflowExitsOneUntilForced() async throws {
        try await withScratch { (project) async throws in
            _ = try await Self.run(["publish", "--target=npm-library", "--project", project.path])
            let file = project.appendingPathComponent(".github/workflows/mochi-publish-npm.yml")
            try Data("name: mine\n".utf8).write(to: file)
            let refused = try await Self.run(["publish", "--target=npm-library", "--project", project.path])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("--force") && refused.stderr.contains(file.path))
            #expect(try String(contentsOf: file, encoding: .utf8) == "name: mine\n")
            let forced = try await Self.run(["publish", "--target=npm-library", "--project", project.path, "--force"])
            #expect(forced.status == 0)
            #expect(try Data(contentsOf: file) == Data(WorkflowTemplate.npmLibrary.utf8))
        }
    }

    @Test func unknownTargetExitsTwoListingTheSupportedTargets() async throws {
        try await withScratch { (project) async throws in
            let result = try await Self.run(["publish", "--target=pypi-wheel", "--project", project.path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("pypi-wheel") && result.stderr.contains("npm-library"))
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent(".github").path))
        }
    }

    @Test func missingTargetExitsTwoListingTheSupportedTargets() async throws {
        let result = try await Self.run(["publish"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("missing --target") && result.stderr.contains("npm-library"))
    }

    /// Found by review: ArgumentParser's own refusals exited 64, not the documented 2.
    @Test func unknownOptionsAndSubcommandsExitTwo() async throws {
        for arguments in [["publish", "--bogus"], ["frobnicate"]] {
            let result = try await Self.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func badBundleVersionExitsTwo() async throws {
        let result = try await Self.run(["publish", "--target=npm-library", "--fixture", "--bundle-version", "0.4"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("0.2 or 0.3"))
    }

    @Test func helpTeachesTheWorkflowAndItsFlags() async throws {
        let result = try await Self.run(["publish", "--help"])
        #expect(result.status == 0)
        for word in ["--target", "npm-library", "--force", "--fixture", "--registry", "--bundle-version", "--package-dir",
                     "id-token", "NPM_TOKEN", "mochi-publish-npm.yml"] {
            #expect(result.stdout.contains(word), "help lacks \(word)")
        }
    }

    @Test func fixtureWithoutAWorldPlaysTheJobInAnEmbeddedOne() async throws {
        try await withScratch { (project) async throws in
            let result = try await Self.run(["publish", "--target=npm-library", "--fixture", "--project", project.path,
                                             "--package-dir", TestPaths.examplePackage.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("started an embedded fixture world"))
            #expect(result.stdout.contains("published @mochi/example@1.1.0 with provenance"))
            #expect(result.stderr.contains("built @mochi/example@1.1.0"))
            let built = project.appendingPathComponent("target/ts/npm-library/package.json")
            #expect(FileManager.default.fileExists(atPath: built.path))
        }
    }
}
