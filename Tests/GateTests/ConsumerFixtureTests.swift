import FixtureTesting
import Foundation
import SafeJSON
import Testing
import Harness

/// Every consumer fixture against the gate's world, through `verify-install`: what its README line claims.
@Suite("Consumer fixtures against the fixture world", .serialized)
struct ConsumerFixtureTests {
    /// Copies `ConsumerFixtures/<fixture>` and runs `verify-install <command>` in it with the world's trust.
    func run(_ fixture: String, _ command: String, _ extra: [String] = []) async throws -> (project: URL, result: ProcessResult) {
        let world = try await GateWorld.shared.world()
        let project = Scratch.path(fixture)
        try FileManager.default.copyItem(at: Repository.consumerFixture("\(fixture)"), to: project)
        let result = try await ProcessRunner.run(Products.executable("verify-install"),
                                                 [command, "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
                                                  "--cache", Scratch.path("cache").path] + extra, in: project)
        return (project, result)
    }

    @Test func lockedInstallsExactlyTheLockfileWithCi() async throws {
        let (project, result) = try await run("locked", "ci")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("provenance: 2/2 verified"), "\(result.stdout)")
        let lock = try JSONValue.parse(Data(contentsOf: project.appendingPathComponent("package-lock.json")))
        #expect(lock["packages"]?["node_modules/@mochi/example"]?["version"]?.stringValue == "1.1.0")
    }

    @Test func transitiveVerifiesEveryPackageOfTheClosure() async throws {
        let (_, result) = try await run("transitive", "install")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("@mochi/example@2.0.0-beta.1"), "\(result.stdout)")
        #expect(result.stdout.contains("@mochi/runtime@1.2.0"))
        #expect(result.stdout.contains("provenance: 2/2 verified"), "\(result.stdout)")
    }

    @Test func policyFailNamesBothRepositoriesAndPlacesNothing() async throws {
        let policy = Repository.consumerFixture("policy-fail/verify-policy.json").path
        let (project, result) = try await run("policy-fail", "install", ["--policy", policy])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("https://github.com/mochi-lang/mochi"), "\(result.stderr)")
        #expect(result.stderr.contains("https://github.com/someone-else/not-mochi"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi/example").path))
    }

    @Test func downgradeIsFlaggedAndRefusedWhenProvenanceIsRequired() async throws {
        let (_, warned) = try await run("downgrade", "install")
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect((warned.stdout + warned.stderr).contains("downgrade"), "\(warned.stdout)\(warned.stderr)")
        let (project, refused) = try await run("downgrade", "install", ["--require-provenance"])
        #expect(refused.status != 0, "\(refused.stdout)")
        #expect(refused.stderr.contains("@mochi/compat"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi/compat").path))
    }
}
