import FixtureRegistry
import FixtureTesting
import Foundation
import Harness

/// The fixture world shared by the gate's tests: started once, seeded through trusted publishing.
///
/// Each is one shared `Task`: an actor's method suspends while it awaits, so two first callers
/// would otherwise both start a world (and could mix one world's bundles with another's root).
actor GateWorld {
    static let shared = GateWorld()
    private var starting: Task<FixtureWorld, any Error>?
    private var installing: Task<(project: URL, result: ProcessResult), any Error>?

    /// The running world (started on first use).
    func world() async throws -> FixtureWorld {
        if starting == nil {
            // Never stopped (shared by the suites): its folder goes with the process's scratch root at exit.
            starting = Task { try await FixtureWorld.start(directory: Scratch.path("world")) }
        }
        return try await starting!.value
    }

    /// `ConsumerFixtures/basic` installed once by `verify-install` (with the world's trust root),
    /// shared by the consumer-verification and audit tests; returns the project folder and the report.
    func basicInstall() async throws -> (project: URL, result: ProcessResult) {
        if installing == nil {
            installing = Task { try await self.install() }
        }
        return try await installing!.value
    }

    private func install() async throws -> (project: URL, result: ProcessResult) {
        let world = try await world()
        let project = Scratch.path("basic")
        try FileManager.default.copyItem(at: Repository.consumerFixture("basic"), to: project)
        let result = try await ProcessRunner.run(Products.executable("verify-install"), [
            "install", "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
            "--cache", Scratch.path("cache").path,
            "--policy", Repository.consumerFixture("policy-pass/verify-policy.json").path,
            "--json",
        ], in: project)
        return (project, result)
    }
}
