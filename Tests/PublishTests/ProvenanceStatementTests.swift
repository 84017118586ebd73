import FixtureTesting
import Foundation
import Publish
import Testing
import CodedError

/// The SLSA v1 statement npm signs for a GitHub Actions publish, byte for byte.
@Suite struct ProvenanceStatementTests {
    static let environment: [String: String] = [
        "GITHUB_REPOSITORY": "mochi-lang/mochi",
        "GITHUB_WORKFLOW_REF": "mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_REPOSITORY_ID": "74",
        "GITHUB_REPOSITORY_OWNER_ID": "65",
        "GITHUB_SERVER_URL": "https://github.com",
        "RUNNER_ENVIRONMENT": "github-hosted",
        "GITHUB_REF": "refs/tags/v1.1.0",
    ]
    static let digest = String(repeating: "ab", count: 64)

    static let expected = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"pkg:npm/%40mochi/example@1.1.0","digest":{"sha512":"\#(digest)"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1","externalParameters":{"workflow":{"ref":"refs/tags/v1.1.0","repository":"https://github.com/mochi-lang/mochi","path":".github/workflows/mochi-publish-npm.yml"}},"internalParameters":{"github":{"event_name":"push","repository_id":"74","repository_owner_id":"65"}},"resolvedDependencies":[{"uri":"git+https://github.com/mochi-lang/mochi@refs/tags/v1.1.0","digest":{"gitCommit":"0123456789abcdef0123456789abcdef01234567"}}]},"runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"},"metadata":{"invocationId":"https://github.com/mochi-lang/mochi/actions/runs/4242/attempts/2"}}}}"#

    @Test func statementHasNpmsKeysInNpmsOrder() throws {
        let job = try GitHubActionsEnvironment(environment: Self.environment)
        let statement = try ProvenanceStatement.make(name: "@mochi/example", version: "1.1.0", sha512Hex: Self.digest, job: job)
        #expect(statement.text == Self.expected)
    }

    @Test(arguments: [("@mochi/example", "1.1.0", "pkg:npm/%40mochi/example@1.1.0"),
                      ("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"),
                      ("@a/b", "2.0.0-beta.1", "pkg:npm/%40a/b@2.0.0-beta.1")])
    func purlEscapesOnlyTheLeadingAt(name: String, version: String, purl: String) {
        #expect(ProvenanceStatement.purl(name: name, version: version) == purl)
    }

    @Test func missingVariablesAreAllNamed() {
        var environment = Self.environment
        environment["GITHUB_SHA"] = nil
        environment["RUNNER_ENVIRONMENT"] = ""
        let error = #expect(throws: PublishError.self) { try GitHubActionsEnvironment(environment: environment) }
        #expect(error?.code == .environment)
        #expect(error?.message.contains("GITHUB_SHA") == true && error?.message.contains("RUNNER_ENVIRONMENT") == true)
    }

    @Test func workflowRefWithoutAnAtIsRefused() {
        var environment = Self.environment
        environment["GITHUB_WORKFLOW_REF"] = "mochi-lang/mochi/.github/workflows/x.yml"
        #expect(throws: PublishError.self) { try GitHubActionsEnvironment(environment: environment) }
    }

    /// npm's own code as the witness: libnpmpublish's generateProvenance with sigstore.attest
    /// replaced by "return the payload", run by node under the same GitHub Actions variables.
    @Test(.requires(.npm)) func matchesWhatNpmsOwnProvenanceCodeBuilds() async throws {
        let node = try #require(ProcessRunner.which("node"))
        let modules = try #require(await NpmInstallation.modules()).path
        let script = """
            const path = require('path');
            const dir = path.join(process.argv[1], 'libnpmpublish/lib');
            const sig = require.resolve('sigstore', { paths: [dir] });
            require.cache[sig] = { id: sig, filename: sig, loaded: true, exports: { attest: async (b) => b.toString('utf8') } };
            const npa = require(require.resolve('npm-package-arg', { paths: [dir] }));
            const { generateProvenance } = require(path.join(dir, 'provenance.js'));
            const subject = { name: npa.toPurl(npa.resolve('@mochi/example', '1.1.0')), digest: { sha512: process.argv[2] } };
            generateProvenance([subject], {}).then((s) => process.stdout.write(s));
            """
        var environment = Self.environment
        environment["GITHUB_ACTIONS"] = "true"
        let result = try await ProcessRunner.run(node, ["-e", script, modules, Self.digest], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let job = try GitHubActionsEnvironment(environment: Self.environment)
        let ours = try ProvenanceStatement.make(name: "@mochi/example", version: "1.1.0", sha512Hex: Self.digest, job: job)
        #expect(result.stdout == ours.text)
    }
}
