import Foundation
import ProcessTesting

/// Where the suite finds the repository, the table, the fixtures and the built `verify-install`.
enum ScenarioPaths {
    /// The repository root (symbolic links resolved, so scratch packages find the real tree).
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scenarios = repository.appendingPathComponent("Registry/scenarios")
    static let readme = scenarios.appendingPathComponent("README.md")

    static func fixture(_ name: String) -> URL { repository.appendingPathComponent("ConsumerFixtures/\(name)") }

    /// `$VERIFY_INSTALL_BINARY`, else `verify-install` beside the running test bundle (the build
    /// folder `swift test` just built), else the repository's `.build/debug`.
    static var verifyInstall: URL {
        if let path = ProcessInfo.processInfo.environment["VERIFY_INSTALL_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("verify-install")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/verify-install")
    }

    static var npm: URL? { ProcessRunner.which("npm") }
    static var npmRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_NPM"] == "1" }

    /// A new, created folder under the temporary directory.
    static func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-suite-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
