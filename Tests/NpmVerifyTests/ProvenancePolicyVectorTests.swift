import Foundation
import NpmVerify
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// The policy on the recorded real npm provenance (npm-real), verified under the public-good root.
@Suite struct ProvenancePolicyVectorTests {
    /// Who built the package of a recorded response, from its verified SLSA provenance bundle.
    static func builtBy(_ file: String, _ package: String) throws -> ProvenanceIdentity {
        let testCase = try #require(AttestationVerifierTests.cases.first { $0.file == "npm-real/" + file })
        #expect("\(testCase.package.name)@\(testCase.package.version)" == package)
        let verdicts = try AttestationVerifierTests.verifier().verify(response: try RegistrySignatureTests.data(testCase.file), package: testCase.package)
        let provenance = try #require(verdicts.first { $0.predicateType.hasPrefix("https://slsa.dev/provenance/") })
        return try #require(ProvenanceIdentity(try provenance.result.get()))
    }

    @Test func currentLeafGivesEveryField() throws {
        let who = try Self.builtBy("slsa-verifier/gundam-visor-cli-v1-tag.tgz.json", "gundam-visor@1.0.1")
        #expect(who.issuer == "https://token.actions.githubusercontent.com")
        #expect(who.repository == "https://github.com/ramonpetgrave64/gundam-visor")
        #expect(who.workflow == ".github/workflows/npm-publish.yml")
        #expect(who.builder == "https://github.com/ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml@refs/tags/v1.0.1")
        #expect(who.ref == "refs/tags/v1.0.1")
        #expect(who.commit == "599500821344b070902a7a5666064bfdaba715df")
        #expect(who.runnerEnvironment == "github-hosted")
        #expect(who.trigger == "release")
        #expect(who.runInvocation == "https://github.com/ramonpetgrave64/gundam-visor/actions/runs/9358004112/attempts/1")
    }

    @Test func legacyLeafFallsBackToTheRawExtensions() throws {
        let who = try Self.builtBy("npm-cli/valid-sigstore-attestations.json", "sigstore@1.0.0")
        #expect(who.repository == "https://github.com/sigstore/sigstore-js")
        #expect(who.workflow == ".github/workflows/publish.yml")
        #expect(who.ref == "refs/tags/v1.0.0")
        #expect(who.commit == "06528997c3c8ab9f864fad9a3658446aca7fd86d")
        #expect(who.trigger == "release")
        #expect(who.runnerEnvironment == nil)
    }

    @Test func reusableBuilderIsNotTheWorkflow() throws {
        let who = try Self.builtBy("slsa-verifier/provenance-npm-test-ossf.tgz.json", "@laurentsimon/provenance-npm-test@1.0.5")
        #expect(who.repository == "https://github.com/laurentsimon/provenance-npm-test")
        #expect(who.workflow == ".github/workflows/release-slsa3.yml")
        #expect(who.builder?.hasPrefix("https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@") == true)
    }

    static let pinnedToSource = #"""
        {"requireProvenance": true, "issuer": "https://token.actions.githubusercontent.com",
         "repository": "https://github.com/ramonpetgrave64/gundam-visor", "workflow": ".github/workflows/npm-publish.yml",
         "ref": "refs/tags/v*", "runnerEnvironment": "github-hosted", "trigger": "release",
         "builder": "https://github.com/ramonpetgrave64/gundam-visor/.github/workflows/*"}
        """#

    @Test func policyPinnedToTheRealSourcePasses() throws {
        let who = try Self.builtBy("slsa-verifier/gundam-visor-cli-v1-tag.tgz.json", "gundam-visor@1.0.1")
        try ProvenancePolicy(json: Data(Self.pinnedToSource.utf8)).evaluate(who, name: "gundam-visor", version: "1.0.1")
    }

    @Test func policyPinnedToAnotherRepositoryFailsNamingBoth() throws {
        let who = try Self.builtBy("slsa-verifier/gundam-visor-cli-v1-tag.tgz.json", "gundam-visor@1.0.1")
        let policy = try ProvenancePolicy(json: Data(#"{"packages": {"gundam-*": {"repository": "https://github.com/mochi-lang/mochi"}}}"#.utf8))
        let error = #expect(throws: NpmVerifyError.self) { try policy.evaluate(who, name: "gundam-visor", version: "1.0.1") }
        #expect(error?.message == "gundam-visor@1.0.1: provenance repository is https://github.com/ramonpetgrave64/gundam-visor, policy requires https://github.com/mochi-lang/mochi")
    }

    @Test(arguments: [
        (#"{"ref": "refs/heads/*"}"#, "provenance ref is refs/tags/v1.0.1, policy requires refs/heads/*"),
        (#"{"workflow": ".github/workflows/mochi-publish-npm.yml"}"#, "provenance workflow is .github/workflows/npm-publish.yml, policy requires .github/workflows/mochi-publish-npm.yml"),
        (#"{"runnerEnvironment": "self-hosted"}"#, "provenance runner environment is github-hosted, policy requires self-hosted"),
        (#"{"issuer": "https://gitlab.com"}"#, "provenance issuer is https://token.actions.githubusercontent.com, policy requires https://gitlab.com"),
        (#"{"trigger": "push"}"#, "provenance trigger is release, policy requires push"),
    ])
    func eachPinnedFieldCanFail(_ json: String, _ expected: String) throws {
        let who = try Self.builtBy("slsa-verifier/gundam-visor-cli-v1-tag.tgz.json", "gundam-visor@1.0.1")
        let error = #expect(throws: NpmVerifyError.self) { try ProvenancePolicy(json: Data(json.utf8)).evaluate(who, name: "gundam-visor", version: "1.0.1") }
        #expect(error?.message == "gundam-visor@1.0.1: " + expected)
    }

    @Test func fieldAbsentFromALegacyLeafFailsAPin() throws {
        let who = try Self.builtBy("npm-cli/valid-sigstore-attestations.json", "sigstore@1.0.0")
        let policy = try ProvenancePolicy(json: Data(#"{"repository": "https://github.com/sigstore/sigstore-js", "runnerEnvironment": "github-hosted"}"#.utf8))
        let error = #expect(throws: NpmVerifyError.self) { try policy.evaluate(who, name: "sigstore", version: "1.0.0") }
        #expect(error?.message == "sigstore@1.0.0: provenance runner environment is absent from the certificate, policy requires github-hosted")
    }
}
