import FixtureTesting
import CurlTransport
import Foundation
import Installer
import NpmModel
import NpmVerify
import RegistryClient
import SafeJSON
import Testing

/// Attestations are verified during every install, before anything is placed; the report says who built each package.
@Suite struct ProvenanceInstallTests {
    typealias World = ProvenanceWorld

    static func settings(policy: String? = nil, require: Bool = false) throws -> ProvenanceSettings {
        ProvenanceSettings(trustedRoot: try World.trustedRoot(), trustedRootSource: "public-good/trusted_root.json", requireProvenance: require,
                           policy: try policy.map { try ProvenancePolicy(json: Data($0.utf8), source: "verify-policy.json") })
    }

    @Test(.enabled(if: World.hasRealTarball, "needs the real gundam-visor tarball ($NPM_REAL_TARBALLS)"))
    func realPackageInstallsAndSaysWhoBuiltIt() async throws {
        try await TestRegistry.with { registry in
            try World.publish(into: registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await World.install(registry, project, attestations: try World.vector(World.attestationsFile),
                                                 settings: try Self.settings(policy: ProvenancePolicyFiles.pinnedToSource), specs: ["gundam-visor@1.0.1"])
            let package = try #require(report.packages.first { $0.name == World.name })
            let provenance = try #require(package.provenance)
            #expect(provenance.status == .verified)
            #expect(provenance.builtBy?.repository == "https://github.com/ramonpetgrave64/gundam-visor")
            #expect(provenance.builtBy?.workflow == ".github/workflows/npm-publish.yml")
            #expect(provenance.builtBy?.ref == "refs/tags/v1.0.1")
            #expect(provenance.builtBy?.commit == "599500821344b070902a7a5666064bfdaba715df")
            #expect(provenance.builtBy?.runnerEnvironment == "github-hosted")
            #expect(provenance.attestations.count == 2)
            #expect(report.verified.provenance == 1)
            #expect(report.verified.registrySignatures == 1)
            #expect((report.timings["sum:attestations"] ?? 0) > 0)
            #expect(project.installedVersion("node_modules/gundam-visor") == "1.0.1")
        }
    }

    @Test(.enabled(if: World.hasRealTarball, "needs the real gundam-visor tarball ($NPM_REAL_TARBALLS)"))
    func ciVerifiesAttestationsToo() async throws {
        try await TestRegistry.with { registry in
            try World.publish(into: registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let good = try World.vector(World.attestationsFile)
            _ = try await World.install(registry, project, attestations: good, settings: try Self.settings(), specs: ["gundam-visor@1.0.1"])
            let before = project.snapshot()
            let report = try await World.ci(registry, project, attestations: good, settings: try Self.settings())
            #expect(report.packages.first?.provenance?.builtBy?.repository == "https://github.com/ramonpetgrave64/gundam-visor")
            // Without the responses the earlier runs verified and cached, ci must fetch the tampered one.
            try FileManager.default.removeItem(at: project.cache.appendingPathComponent("attestations-v1"))
            let error = await #expect(throws: InstallError.self) {
                try await World.ci(registry, project, attestations: try World.flippedProvenance(), settings: try Self.settings())
            }
            #expect(error?.message.contains("failed at") == true)
            #expect(project.snapshot() == before)
        }
    }

    @Test func flippedAttestationByteFailsAndLeavesNodeModulesAsItWas() async throws {
        try await TestRegistry.with { registry in
            try World.publish(into: registry)
            try registry.publish("left-pad", "1.0.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            try await project.install(registry, "left-pad@1.0.0")
            let before = project.snapshot()
            #expect(!before.isEmpty)
            let error = await #expect(throws: InstallError.self) {
                try await World.install(registry, project, attestations: try World.flippedProvenance(), settings: try Self.settings(),
                                        specs: ["gundam-visor@1.0.1"])
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("gundam-visor@1.0.1") == true)
            #expect(error?.message.contains("/-/npm/v1/attestations/gundam-visor@1.0.1") == true)
            #expect(error?.message.contains("https://slsa.dev/provenance/v1") == true)
            #expect(error?.message.contains("failed at") == true)
            #expect(project.snapshot() == before)
            #expect(project.installedVersion("node_modules/gundam-visor") == nil)
        }
    }

    @Test func policyPinnedToAnotherRepositoryFailsNamingBoth() async throws {
        try await TestRegistry.with { registry in
            try World.publish(into: registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let error = await #expect(throws: InstallError.self) {
                try await World.install(registry, project, attestations: try World.vector(World.attestationsFile),
                                        settings: try Self.settings(policy: #"{"repository": "https://github.com/mochi-lang/mochi"}"#),
                                        specs: ["gundam-visor@1.0.1"])
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message == "gundam-visor@1.0.1: provenance repository is https://github.com/ramonpetgrave64/gundam-visor, policy requires https://github.com/mochi-lang/mochi")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func attestationsWithoutATrustedRootFailNamingTheFlag() async throws {
        try await TestRegistry.with { registry in
            try World.publish(into: registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let error = await #expect(throws: InstallError.self) {
                try await World.install(registry, project, attestations: try World.vector(World.attestationsFile),
                                        settings: ProvenanceSettings(), specs: ["gundam-visor@1.0.1"])
            }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("gundam-visor@1.0.1 advertises attestations") == true)
            #expect(error?.message.contains("--trusted-root") == true)
        }
    }

    @Test func packageWithoutAttestationsIsReportedUnverified() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("left-pad", "1.0.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await project.install(registry, "left-pad@1.0.0")
            let provenance = try #require(report.packages.first?.provenance)
            #expect(provenance.status == .unverified)
            #expect(provenance.reason == "no provenance")
            #expect(provenance.downgrade == nil)
            #expect(report.verified.withoutProvenance == 1)
            #expect(report.verified.provenance == 0)
        }
    }

    @Test func requireProvenanceRefusesAPackageWithoutIt() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("left-pad", "1.0.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let error = await #expect(throws: InstallError.self) {
                try await World.install(registry, project, attestations: Data(), settings: try Self.settings(require: true), specs: ["left-pad@1.0.0"])
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message == "left-pad@1.0.0: has no verified provenance, and --require-provenance is set")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func policyRequiringProvenanceRefusesAPackageWithoutIt() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("left-pad", "1.0.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let error = await #expect(throws: InstallError.self) {
                try await World.install(registry, project, attestations: Data(),
                                        settings: try Self.settings(policy: #"{"packages": {"left-*": {"requireProvenance": true}}}"#), specs: ["left-pad@1.0.0"])
            }
            #expect(error?.message == "left-pad@1.0.0: has no provenance, but verify-policy.json requires provenance for it")
        }
    }

    /// `left-pad@1.0.0` is advertised with attestations; `1.1.0` (installed) has none.
    static func downgrade(_ registry: TestRegistry, _ project: TestProject, settings: ProvenanceSettings) async throws -> InstallReport {
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let transport = TamperingTransport(inner: curl) { url, status, body in
            guard url.hasSuffix("/left-pad") else { return (status, body) }
            return (status, TamperingTransport.editDist(body, version: "1.0.0") { $0["attestations"] = ["url": "https://example.invalid/x"] })
        }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: transport)
        return try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings)
            .install(prefix: project.directory, specs: [try PackageSpec(parsing: "left-pad@1.1.0")])
    }

    @Test func downgradeIsAWarningByDefault() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("left-pad", "1.0.0", tags: [])
            try registry.publish("left-pad", "1.1.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let report = try await Self.downgrade(registry, project, settings: try Self.settings())
            let provenance = try #require(report.packages.first?.provenance)
            #expect(provenance.downgrade?.contains("left-pad@1.0.0 had attestations") == true)
            #expect(report.warnings.contains { $0.contains("provenance downgrade") && $0.contains("left-pad@1.1.0") })
            #expect(project.installedVersion("node_modules/left-pad") == "1.1.0")
        }
    }

    @Test func downgradeIsAnErrorUnderRequireProvenanceOrAPolicyPin() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("left-pad", "1.0.0", tags: [])
            try registry.publish("left-pad", "1.1.0")
            for settings in [try Self.settings(require: true), try Self.settings(policy: #"{"packages": {"left-pad": {"repository": "https://github.com/a/b"}}}"#)] {
                let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
                let error = await #expect(throws: InstallError.self) { try await Self.downgrade(registry, project, settings: settings) }
                #expect(error?.exitCode == 1)
                #expect(error?.message.contains("provenance downgrade") == true)
                #expect(error?.message.contains("refused because") == true)
                #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
            }
        }
    }
}

/// Policies used by more than one test.
enum ProvenancePolicyFiles {
    static let pinnedToSource = #"""
        {"requireProvenance": true, "issuer": "https://token.actions.githubusercontent.com",
         "repository": "https://github.com/ramonpetgrave64/gundam-visor", "workflow": ".github/workflows/npm-publish.yml",
         "ref": "refs/tags/v*", "runnerEnvironment": "github-hosted"}
        """#
}
