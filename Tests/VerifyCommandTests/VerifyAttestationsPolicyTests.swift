import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// `verify-attestations --policy FILE` on the real recorded gundam-visor provenance.
@Suite struct VerifyAttestationsPolicyTests {
    static func run(policy: String, json: Bool) async throws -> CLIResult {
        let file = Scratch.path("verify-policy.json")
        try Data(policy.utf8).write(to: file)
        defer { Scratch.remove(file) }
        let valid = try #require(VerifyAttestationsCommandTests.cases.first { $0.file == "slsa-verifier/gundam-visor-cli-v1-tag.tgz.json" })
        return try await CLIProcess.run(valid.arguments(json: json) + ["--policy", file.path])
    }

    @Test func policyPinnedToTheSourceRepositoryPassesAndNamesTheBuilder() async throws {
        let result = try await Self.run(policy: #"{"requireProvenance": true, "repository": "https://github.com/ramonpetgrave64/gundam-visor", "ref": "refs/tags/v*", "workflow": ".github/workflows/npm-publish.yml"}"#, json: false)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("built by: repository https://github.com/ramonpetgrave64/gundam-visor, workflow .github/workflows/npm-publish.yml, ref refs/tags/v1.0.1, commit 599500821344b070902a7a5666064bfdaba715df, runner github-hosted"))
    }

    @Test func policyPinnedToAnotherRepositoryFailsNamingBoth() async throws {
        let result = try await Self.run(policy: #"{"repository": "https://github.com/mochi-lang/mochi"}"#, json: true)
        #expect(result.status == 1)
        let report = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(report["verified"]?.boolValue == false)
        #expect(report["policy"]?.stringValue == "gundam-visor@1.0.1: provenance repository is https://github.com/ramonpetgrave64/gundam-visor, policy requires https://github.com/mochi-lang/mochi")
        #expect(report["builtBy"]?["ref"]?.stringValue == "refs/tags/v1.0.1")
    }

    @Test func policyWithATypoIsAUsageError() async throws {
        let result = try await Self.run(policy: #"{"repositry": "https://github.com/mochi-lang/mochi"}"#, json: true)
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown key \"repositry\""))
    }
}
