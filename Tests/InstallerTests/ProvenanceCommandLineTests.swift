import FixtureTesting
import Foundation
import Testing

/// `verify-install --require-provenance`, `--policy`, and the "who built it" lines of the summary.
@Suite struct ProvenanceCommandLineTests {
    func verifyInstall(_ arguments: [String], project: TestProject) async throws -> ProcessResult {
        try await CommandLineTests().verifyInstall(arguments, project: project)
    }

    @Test func summarySaysWhyEachPackageIsUnverified() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let result = try await verifyInstall(["--registry", registry.url], project: project)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("unverified: no provenance"))
            #expect(result.stdout.contains("provenance: 0/"))
            let json = try await verifyInstall(["--registry", registry.url, "--json"], project: project)
            #expect(json.stdout.contains("\"reason\" : \"no provenance\""))
        }
    }

    @Test func requireProvenanceFailsAnInstallWithoutProvenance() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let result = try await verifyInstall(["--registry", registry.url, "--require-provenance"], project: project)
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("has no verified provenance, and --require-provenance is set"))
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func policyFileIsReadAndATypoIsAUsageError() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let policy = project.directory.appendingPathComponent("verify-policy.json")
            try Data(#"{"requireProvenance": true, "repositry": "https://github.com/mochi-lang/mochi"}"#.utf8).write(to: policy)
            let typo = try await verifyInstall(["--registry", registry.url, "--policy", policy.path], project: project)
            #expect(typo.status == 2, "stderr: \(typo.stderr)")
            #expect(typo.stderr.contains("unknown key \"repositry\""))
            try Data(#"{"packages": {"@mochi/*": {"requireProvenance": true}}}"#.utf8).write(to: policy)
            let strict = try await verifyInstall(["--registry", registry.url, "--policy", policy.path], project: project)
            #expect(strict.status == 1, "stderr: \(strict.stderr)")
            #expect(strict.stderr.contains("has no provenance, but \(policy.path) requires provenance for it"))
        }
    }

    @Test func unreadableTrustedRootIsAUsageError() async throws {
        let project = try TestProject(copying: "basic")
        let result = try await verifyInstall(["--registry", "http://127.0.0.1:9/", "--trusted-root", "/no/such/root.json"], project: project)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--trusted-root /no/such/root.json"))
    }
}
