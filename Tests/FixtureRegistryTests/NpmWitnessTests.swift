import FixtureTesting
import Foundation
import Testing
@testable import FixtureFaults
@testable import FixtureRegistry

/// The real npm CLI installs from the fixture registry: the registry speaks npm's protocol,
/// not just what our own client expects.
/// Skipped, with the reason printed, when npm is absent; `REQUIRE_NPM=1` makes that a failure.
@Suite("The real npm CLI installs from the fixture registry", .requires(.npm))
struct NpmWitnessTests {
    /// npm in a scratch folder.
    private func npm(in scratch: URL) throws -> NpmCLI {
        try NpmCLI(executable: try #require(NpmCLI.executable), scratch: scratch)
    }

    @Test func installsLatestWithItsDependency() async throws {
        try await withScratch { folder in
            let npm = try npm(in: folder)
            let registry = try await FixtureRegistryServer.start(storage: makeStorage(in: folder))
            let result = try await npm.install(["@mochi/example"], registry: registry.baseURL)
            await registry.stop()
            #expect(result.status == 0, "npm install failed:\n\(result.output)")
            #expect(npm.installedVersion("@mochi/example") == "1.1.0")
            #expect(npm.installedVersion("@mochi/runtime") == "1.2.0")
            #expect(result.output.contains("\(registry.baseURL)@mochi%2fexample"), "npm asked for the escaped packument")
            let lockfile = try String(contentsOf: npm.project.appendingPathComponent("package-lock.json"), encoding: .utf8)
            #expect(lockfile.contains("\(registry.baseURL)@mochi/example/-/example-1.1.0.tgz"))
        }
    }

    @Test func installsTheNextTagUnderAPathPrefix() async throws {
        try await withScratch { folder in
            let npm = try npm(in: folder)
            let registry = try await FixtureRegistryServer.start(storage: makeStorage(in: folder), pathPrefix: "/npm/")
            let result = try await npm.install(["@mochi/example@next", "@mochi/runtime@1.0.0"], registry: registry.baseURL)
            await registry.stop()
            #expect(result.status == 0, "npm install failed:\n\(result.output)")
            #expect(npm.installedVersion("@mochi/example") == "2.0.0-beta.1")
            // example@2.0.0-beta.1 wants ^1.2.0, so npm nests runtime 1.2.0 below it.
            #expect(npm.installedVersion("@mochi/runtime") == "1.0.0")
            #expect(npm.installedVersion("@mochi/example/node_modules/@mochi/runtime") == "1.2.0")
        }
    }

    @Test func retriesAServerErrorAndRefusesACorruptTarball() async throws {
        try await withScratch { folder in
            let npm = try npm(in: folder)
            let faults = FaultPlan()
            faults.add(.packument("@mochi/example"), .status(500), times: 1)
            faults.add(.tarball(name: "@mochi/runtime", version: "1.2.0"), .corruptTarball, times: nil)
            let registry = try await FixtureRegistryServer.start(storage: makeStorage(in: folder), faults: faults)
            let result = try await npm.install(["@mochi/example"], registry: registry.baseURL)
            await registry.stop()
            #expect(result.status != 0, "npm must refuse a tarball whose integrity does not match")
            #expect(result.output.contains("EINTEGRITY"), "\(result.output)")
            #expect(faults.packumentRequests("@mochi/example") >= 2, "npm retried after the 500")
            #expect(npm.installedVersion("@mochi/runtime") == nil)
        }
    }
}
