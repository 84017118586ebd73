import FixtureRegistry
import Foundation
import Harness
import ProcessTesting
import Testing

/// The fixture world shared by the gate's tests: started once, seeded through trusted publishing.
actor GateWorld {
    static let shared = GateWorld()
    private var started: FixtureWorld?

    /// The running world (started on first use).
    func world() async throws -> FixtureWorld {
        if let started { return started }
        // Never stopped (shared by the suites): its folder goes with the gate's scratch folder at exit.
        let world = try await FixtureWorld.start(directory: GatePaths.scratch("world"))
        started = world
        return world
    }

    private var installed: (project: URL, result: ProcessResult)?

    /// `ConsumerFixtures/basic` installed once by `verify-install` (with the world's trust root),
    /// shared by the consumer-verification and audit tests; returns the project folder and the report.
    func basicInstall() async throws -> (project: URL, result: ProcessResult) {
        if let installed { return installed }
        let world = try await world()
        let project = GatePaths.scratch("basic")
        try FileManager.default.copyItem(at: GatePaths.repository.appendingPathComponent("ConsumerFixtures/basic"), to: project)
        let result = try await ProcessRunner.run(GatePaths.binary("verify-install"), [
            "install", "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
            "--cache", GatePaths.scratch("cache").path,
            "--policy", GatePaths.repository.appendingPathComponent("ConsumerFixtures/policy-pass/verify-policy.json").path,
            "--json",
        ], in: project)
        installed = (project, result)
        return (project, result)
    }
}

/// Where the gate finds the repository, the built executables and scratch folders.
enum GatePaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func binary(_ name: String) -> URL { repository.appendingPathComponent(".build/debug/\(name)") }

    /// A new empty path (not created) under one folder per test process, removed when the process
    /// exits: the shared world's install and several fixtures' copies outlive their tests.
    static func scratch(_ label: String) -> URL {
        scratchRoot.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
    }

    static let scratchRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gate-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: GatePaths.scratchRoot) }
        return url
    }()

    /// The Python virtual environment of `make deps` (check-jsonschema, sigstore-python).
    static var venv: URL { SigstorePythonWitness.venv(repository: repository) }

    /// `bin/<name>` of the venv, or nil with a printed skip — a recorded issue under `REQUIRE_VENV=1`
    /// (as `make test` sets), so a missing witness cannot pass silently there.
    static func venvTool(_ name: String) -> URL? {
        let tool = venv.appendingPathComponent("bin/\(name)")
        if FileManager.default.isExecutableFile(atPath: tool.path) { return tool }
        if ProcessInfo.processInfo.environment["REQUIRE_VENV"] == "1" {
            Issue.record("\(tool.path) is missing: run `make deps`")
        } else {
            print("SKIPPED: no \(tool.path) (run `make deps`)")
        }
        return nil
    }
}
