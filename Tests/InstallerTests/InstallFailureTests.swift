import FixtureRegistry
import Foundation
import Installer
import Testing
import FixtureFaults
import CurlTransport
import RegistryClient
import NpmModel

/// Fail closed: tampering, missing packages and flaky registries.
@Suite struct InstallFailureTests {
    @Test func tamperedTarballFailsNamingPackageAndBothDigestsAndLeavesNodeModules() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let before = project.snapshot()
            #expect(!before.isEmpty)
            // A fresh cache so the tampered bytes must come from the registry.
            try FileManager.default.removeItem(at: project.cache)
            try registry.publish("@mochi/extra", "1.0.0")
            registry.faults.add(.tarball(name: "@mochi/extra", version: "1.0.0"), .corruptTarball, times: nil)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "@mochi/extra") }
            #expect(error?.exitCode == 1)
            let message = error?.message ?? ""
            #expect(message.contains("@mochi/extra@1.0.0"))
            #expect(message.components(separatedBy: "sha512-").count == 3, "expected and found digests: \(message)")
            #expect(project.snapshot() == before)
        }
    }

    @Test func missingPackageIsRegistryErrorNamingIt() async throws {
        try await TestRegistry.with { registry in
            let project = try TestProject()
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "does-not-exist") }
            #expect(error?.exitCode == 3)
            #expect(error?.message.contains("does-not-exist") == true)
            #expect(error?.message.contains("404") == true)
        }
    }

    @Test func serverErrorSucceedsOnRetry() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("flaky", "1.0.0")
            registry.faults.add(.tarball(name: "flaky", version: "1.0.0"), .status(500), times: 1)
            registry.faults.add(.packument("flaky"), .status(503), times: 1)
            let project = try TestProject()
            try await project.install(registry, "flaky")
            #expect(project.installedVersion("node_modules/flaky") == "1.0.0")
            #expect(registry.faults.tarballRequests("flaky", version: "1.0.0") == 2)
        }
    }

    /// Found by review: the resolver waited for every packument of a level before failing on one
    /// it needs, so an unusable document was reported only once a stalled one had been given up.
    @Test func aNeededPackageThatCannotBeHadEndsTheRunWithoutWaitingForASlowOne() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("slow", "1.0.0")
            // A byte every 2 s, never given up for its speed: waiting for the packument (hundreds
            // of bytes) would take 10 minutes or more; the server stops sending as soon as the
            // client hangs up. The run must end on the missing package long before (under load, a
            // full `make test` took it 23 s, which the 20 s net of a 30 s low-speed limit refused).
            registry.faults.add(.packument("slow"), .slowBody(chunkBytes: 1, interval: .seconds(2)), times: nil)
            let project = try TestProject()
            let transport = try CurlHTTPClient(configuration: TransportConfiguration(transferTimeout: .seconds(1800), lowSpeedTimeout: nil, retry: .none))
            defer { transport.shutdown() }
            let installer = Installer(client: RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: transport),
                                      cache: ContentCache(root: project.cache))
            let start = ContinuousClock.now
            let error = await #expect(throws: InstallError.self) {
                try await installer.install(prefix: project.directory, specs: [PackageSpec(parsing: "slow"), PackageSpec(parsing: "does-not-exist")])
            }
            #expect(error?.message.contains("does-not-exist") == true, "\(error?.message ?? "no error")")
            #expect(ContinuousClock.now - start < .seconds(180), "a net, not a measure: waiting for the slow packument takes 10 minutes or more")
        }
    }

    @Test func noMatchingVersionListsWhatExists() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("lonely", "1.0.0")
            let project = try TestProject()
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "lonely@^2.0.0") }
            #expect(error?.exitCode == 3)
            #expect(error?.message.contains("1.0.0") == true)
        }
    }
}
