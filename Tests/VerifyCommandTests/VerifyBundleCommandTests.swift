import FixtureTesting
import Foundation
import OpenSSLCrypto
import SafeJSON
import Testing

/// Every sigstore-conformance bundle-verify case through `verify-install verify-bundle`,
/// with the artifact as a file and as a `sha256:` digest, exactly as the suite calls a client.
@Suite struct VerifyBundleCommandTests {
    /// One case of `sigstore-conformance/cases.json`, paths made absolute.
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let expectPass: Bool
        let bundle: URL
        let artifact: URL
        let trustedRoot: URL
        let identity: String
        let issuer: String
        let key: URL?

        var description: String { name }

        /// The suite's argument order: `verify-bundle [--staging] --bundle F (identity flags | --key K) [--trusted-root F] FILE_OR_DIGEST`.
        func arguments(artifact fileOrDigest: String) -> [String] {
            var arguments = ["verify-bundle", "--bundle", bundle.path]
            if let key { arguments += ["--key", key.path] } else {
                arguments += ["--certificate-identity", identity, "--certificate-oidc-issuer", issuer]
            }
            return arguments + ["--trusted-root", trustedRoot.path, fileOrDigest]
        }
    }

    static let cases: [Case] = {
        let directory = CLIPaths.vector("sigstore-conformance")
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")),
              let document = try? JSONValue.parse(data, maxDepth: 64) else { return [] }
        return (document["cases"]?.arrayValue ?? []).map { item in
            Case(name: item["name"]?.stringValue ?? "?",
                 expectPass: item["expected"]?.stringValue == "pass",
                 bundle: directory.appendingPathComponent(item["bundle"]?.stringValue ?? ""),
                 artifact: directory.appendingPathComponent(item["artifact"]?.stringValue ?? "bundle-verify/a.txt"),
                 trustedRoot: item["trustedRoot"]?.stringValue.map { directory.appendingPathComponent($0) } ?? CLIPaths.productionRoot,
                 identity: item["certificateIdentity"]?.stringValue ?? "",
                 issuer: item["certificateOidcIssuer"]?.stringValue ?? "",
                 key: item["key"]?.stringValue.map { directory.appendingPathComponent($0) })
        }
    }()

    @Test func allSeventyCasesAreListed() {
        #expect(Self.cases.count == 70)
        #expect(Self.cases.filter(\.expectPass).count == 21)
    }

    @Test(arguments: cases)
    func caseGetsItsVerdictThroughTheCommandLine(_ testCase: Case) async throws {
        let bytes = [UInt8](try Data(contentsOf: testCase.artifact))
        let digest = "sha256:" + Digest.hash(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
        for artifact in [testCase.artifact.path, digest] {
            let result = try await CLIProcess.run(testCase.arguments(artifact: artifact))
            if testCase.expectPass {
                #expect(result.status == 0, "\(testCase.name) (\(artifact)) must verify: \(result.stderr)")
            } else {
                #expect(result.status == 1, "\(testCase.name) (\(artifact)) must be rejected with exit 1, got \(result.status): \(result.stderr)")
                #expect(result.stderr.contains("verification failed at step "), "\(testCase.name): stderr must name the step: \(result.stderr)")
            }
        }
    }

    @Test func identityFlagsAndKeyAreExclusiveUsageErrors() async throws {
        let happy = try #require(Self.cases.first { $0.name == "happy-path-v0.1" })
        let both = ["verify-bundle", "--bundle", happy.bundle.path, "--key", "k.pem", "--certificate-identity", happy.identity,
                    "--certificate-oidc-issuer", happy.issuer, happy.artifact.path]
        #expect(try await CLIProcess.run(both).status == 2)
        let neither = ["verify-bundle", "--bundle", happy.bundle.path, happy.artifact.path]
        #expect(try await CLIProcess.run(neither).status == 2)
    }

    @Test func badArtifactAndStagingWithoutRootAreUsageErrors() async throws {
        let happy = try #require(Self.cases.first { $0.name == "happy-path-v0.1" })
        let badDigest = try await CLIProcess.run(happy.arguments(artifact: "sha256:abc"))
        #expect(badDigest.status == 2, "\(badDigest.stderr)")
        let staging = try await CLIProcess.run(["verify-bundle", "--staging", "--bundle", happy.bundle.path, "--certificate-identity", happy.identity,
                                                "--certificate-oidc-issuer", happy.issuer, happy.artifact.path])
        #expect(staging.status == 2)
        #expect(staging.stderr.contains("staging"))
    }

    @Test func missingPublicGoodTrustIsAClearError() async throws {
        let happy = try #require(Self.cases.first { $0.name == "happy-path-v0.1" })
        let empty = Scratch.path("no-npm")
        defer { Scratch.remove(empty) }
        // An unreachable TUF repository (and no npm anywhere): public-good trust fails, naming the repository.
        let result = try await CLIProcess.run(["verify-bundle", "--bundle", happy.bundle.path, "--certificate-identity", happy.identity,
                                               "--certificate-oidc-issuer", happy.issuer, "--tuf-url", "http://127.0.0.1:1", happy.artifact.path],
                                              environment: ["npm_config_cache": empty.path, "PATH": empty.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("TUF metadata of http://127.0.0.1:1 is not trustworthy"), "\(result.stderr)")
    }
}
