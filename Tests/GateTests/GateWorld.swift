import FixtureRegistry
import FixtureTesting
import Foundation
import Harness

/// The fixture world shared by the gate's tests: started once, seeded through trusted publishing.
actor GateWorld {
    static let shared = GateWorld()
    private var started: FixtureWorld?

    /// The running world (started on first use).
    func world() async throws -> FixtureWorld {
        if let started { return started }
        // Never stopped (shared by the suites): its folder goes with the process's scratch root at exit.
        let world = try await FixtureWorld.start(directory: Scratch.path("world"))
        started = world
        return world
    }

    private var installed: (project: URL, result: ProcessResult)?

    /// `ConsumerFixtures/basic` installed once by `verify-install` (with the world's trust root),
    /// shared by the consumer-verification and audit tests; returns the project folder and the report.
    func basicInstall() async throws -> (project: URL, result: ProcessResult) {
        if let installed { return installed }
        let world = try await world()
        let project = Scratch.path("basic")
        try FileManager.default.copyItem(at: Repository.consumerFixture("basic"), to: project)
        let result = try await ProcessRunner.run(Products.executable("verify-install"), [
            "install", "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
            "--cache", Scratch.path("cache").path,
            "--policy", Repository.consumerFixture("policy-pass/verify-policy.json").path,
            "--json",
        ], in: project)
        installed = (project, result)
        return (project, result)
    }
}
