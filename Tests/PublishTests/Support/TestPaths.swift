import Foundation
import ProcessTesting

/// The repository, its seed packages, the built `mochi-pkg`, and the Python witnesses' venv.
enum TestPaths {
    /// Three levels above this file (`Tests/PublishTests/Support/TestPaths.swift`), symlinks resolved.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let workflowTemplate = repositoryRoot.appendingPathComponent(".github/workflows/templates/mochi-publish-npm.yml")
    static let examplePackage = repositoryRoot.appendingPathComponent("Registry/packages/@mochi/example")

    /// `mochi-pkg` beside the test binary (the build folder `swift test` used), else `.build/debug/`.
    static var mochiPkg: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("mochi-pkg")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repositoryRoot.appendingPathComponent(".build/debug/mochi-pkg")
    }

    /// The virtual environment `make deps` fills (`$MOCHI_VENV`, else `<repo>/.build/venv`).
    static var venv: URL { SigstorePythonWitness.venv(repository: repositoryRoot) }

    /// A fresh folder under the system temp dir, removed after `body`.
    static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("publish-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await body(dir.resolvingSymlinksInPath())
    }
}
