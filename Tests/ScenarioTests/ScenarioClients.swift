import FixtureTesting
import Foundation
import Harness

/// `verify-install install` and `verify-install audit`, the built executable, against a world.
enum VerifyInstallClient {
    /// Installs `project`'s dependencies with the world's trusted root; `cache` must be fresh for a
    /// faulted install, or a tarball cached by an earlier install would hide a tarball fault.
    static func install(_ project: URL, world: FixtureWorld, cache: URL) async throws -> ProcessResult {
        try await ProcessRunner.run(try ScenarioPaths.verifyInstall, [
            "install", "--prefix", project.path, "--registry", world.registryURL,
            "--trusted-root", world.trustedRootFile.path, "--cache", cache.path, "--quiet",
        ], in: project, isolatedHome: true)
    }

    static func audit(_ project: URL, world: FixtureWorld) async throws -> ProcessResult {
        try await ProcessRunner.run(try ScenarioPaths.verifyInstall, [
            "audit", "--prefix", project.path, "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
        ], in: project, isolatedHome: true)
    }
}

/// The real npm CLI against a world: offline (the world's TUF mirror behind its proxy), no retries.
enum NpmClient {
    static let common = ["--fetch-retries=0", "--fetch-timeout=30000", "--no-audit", "--no-fund", "--loglevel=error"]

    static func auditSignatures(_ project: URL, world: ScenarioWorld) async throws -> ProcessResult {
        try await run(["audit", "signatures", "--registry", world.world.registryURL, "--fetch-retries=0", "--fetch-timeout=30000"],
                      in: project, world: world)
    }

    static func install(_ project: URL, world: ScenarioWorld) async throws -> ProcessResult {
        try await run(["install", "--registry", world.world.registryURL] + common, in: project, world: world)
    }

    private static func run(_ arguments: [String], in project: URL, world: ScenarioWorld) async throws -> ProcessResult {
        guard let npm = ProcessRunner.which("npm") else { throw NpmMissing() }
        return try await ProcessRunner.run(npm, arguments, in: project, environment: world.npmEnvironment)
    }
}

struct NpmMissing: Error, CustomStringConvertible {
    var description: String { "npm is not on PATH" }
}
