import Foundation
import ProcessTesting
import SafeJSON
import Testing

/// `verify-install audit` as a process: the report on stdout, npm's exit codes.
@Suite struct AuditCommandTests {
    /// The built CLI: `verify-install` beside the test bundle (or `VerifyInstallCLI` in a scratch package).
    static func executable() -> URL? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder.appendingPathComponent("verify-install"), folder.appendingPathComponent("VerifyInstallCLI"),
                          Paths.repository.appendingPathComponent(".build/debug/verify-install")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func run(_ arguments: [String]) async throws -> ProcessResult {
        let cli = try #require(Self.executable(), "verify-install is not built next to the tests")
        return try await ProcessRunner.run(cli, ["audit"] + arguments, isolatedHome: true)
    }

    @Test func verifiedTreeExitsZeroWithNpmsLines() async throws {
        try await FixtureWorld.with { world in
            let result = try await run(["--prefix", world.project.path, "--registry", world.registry.baseURL])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.replacing(#/ in \d+s\n/#, with: " in 0s\n") == "audited 2 packages in 0s\n\n2 packages have verified registry signatures\n\n")
        }
    }

    @Test func falsifiedSignatureExitsOneWithNpmsJSON() async throws {
        try await FixtureWorld.with { world in
            let mirror = try await world.mirror(FixtureAuditTests.signatureOfOtherVersion)
            defer { Task { [mirror] in await mirror.stop() } }
            let result = try await run(["--prefix", world.project.path, "--registry", mirror.baseURL, "--json"])
            #expect(result.status == 1)
            let json = try JSONValue.parse(Data(result.stdout.utf8))
            #expect(json["invalid"]?.arrayValue?.map { $0["code"]?.stringValue } == ["EINTEGRITYSIGNATURE"])
            #expect(json["missing"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func unreadableTrustedRootIsAUsageError() async throws {
        let result = try await run(["--trusted-root", "/nonexistent/trusted_root.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/trusted_root.json"))
    }

    /// `--policy` with the project's policy format, over real recorded provenance: sigstore-js
    /// meets a policy pinning its repository and tag refs; tuf-js, built elsewhere, does not.
    @Test func policyRefusesAPackageBuiltByAnotherRepository() async throws {
        let data = try RealRegistryData.signedAndAttested()
        let scratch = try Scratch("cli-policy")
        defer { scratch.remove() }
        try data.project(in: scratch)
        try scratch.write("verify-policy.json", """
            {"requireProvenance": true, "repository": "https://github.com/sigstore/sigstore-js", "ref": "refs/tags/v*"}
            """)
        let server = try await StaticRegistry.start(try data.documents())
        defer { Task { [server] in await server.stop() } }
        let result = try await run(["--prefix", scratch.url.path, "--registry", server.baseURL,
                                    "--trusted-root", Paths.vectors.appendingPathComponent("public-good/trusted_root.json").path,
                                    "--policy", scratch.url.appendingPathComponent("verify-policy.json").path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("1 package has a verified attestation\n"), "a refused package counts as neither")
        #expect(result.stdout.contains("1 package does not meet the provenance policy:\n\ntuf-js@1.0.0 (\(server.baseURL))\n  EPROVENANCEPOLICY: "))
        #expect(result.stdout.contains("https://github.com/theupdateframework/tuf-js"))
        #expect(!result.stdout.contains("tampered"))
    }
}
