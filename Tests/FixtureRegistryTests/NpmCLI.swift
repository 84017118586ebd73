import FixtureTesting
import Foundation

/// Runs the real npm CLI in an isolated temporary project (own HOME, cache and
/// npmrc), so that a test can use npm as an independent witness of the registry.
struct NpmCLI {
    /// The npm executable on PATH, or nil (tests that use it carry `.requires(.npm)`).
    static let executable: URL? = ProcessRunner.which("npm")

    struct Result: Sendable {
        let status: Int32
        let output: String
    }

    let executable: URL
    /// The project folder (holds package.json, node_modules) inside a scratch folder with home and cache.
    let project: URL
    private let home: URL
    private let cache: URL

    init(executable: URL, scratch: URL) throws {
        self.executable = executable
        project = scratch.appendingPathComponent("project")
        home = scratch.appendingPathComponent("home")
        cache = scratch.appendingPathComponent("cache")
        for folder in [project, home, cache] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data(#"{"name":"npm-witness","version":"1.0.0","private":true}"#.utf8).write(to: project.appendingPathComponent("package.json"))
    }

    /// `npm install <specs> --registry <registry>` with no scripts, audit, fund or update check,
    /// and retries that back off in milliseconds rather than npm's default 10 to 60 seconds.
    func install(_ specs: [String], registry: String) async throws -> Result {
        try await run(["install"] + specs + ["--registry", registry, "--ignore-scripts", "--no-audit", "--no-fund",
                                            "--cache", cache.path, "--loglevel", "http",
                                            "--fetch-retry-mintimeout", "20", "--fetch-retry-maxtimeout", "200"])
    }

    /// The npm cache folder of this scratch area.
    var cachePath: String { cache.path }

    /// The `version` of an installed package, read from its package.json.
    func installedVersion(_ name: String) -> String? {
        let file = project.appendingPathComponent("node_modules/\(name)/package.json")
        guard let data = try? Data(contentsOf: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["version"] as? String
    }

    /// Runs npm without blocking a thread of the cooperative pool, in `directory` (default: the project).
    /// `output` is stdout followed by stderr.
    func run(_ arguments: [String], in directory: URL? = nil) async throws -> Result {
        let result = try await ProcessRunner.run(executable, arguments, in: directory ?? project, environment: environment)
        return Result(status: result.status, output: result.stdout + result.stderr)
    }

    /// The isolated environment npm runs with: own HOME and user config, no update check.
    var environment: [String: String] {
        [
            "HOME": home.path,
            "npm_config_userconfig": home.appendingPathComponent(".npmrc").path,
            "npm_config_update_notifier": "false",
            "NO_UPDATE_NOTIFIER": "1",
        ]
    }
}
