import Foundation
import ProcessTesting
import SafeJSON
import Testing

/// The sigstore-python witness itself, proven on real public-good DSSE bundles (sigstore-conformance
/// vectors, Rekor v1 `dsse` 0.0.1) before the fixture world's bundles are put in front of it.
@Suite struct SigstorePythonWitnessTests {
    static let vectors = TestPaths.repositoryRoot.appendingPathComponent("../shared/vectors").standardizedFileURL
    static let root = vectors.appendingPathComponent("public-good/trusted_root.sigstore-python-embedded.json")
    static let identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let issuer = "https://token.actions.githubusercontent.com"

    static func bundle(_ name: String) -> URL {
        vectors.appendingPathComponent("sigstore-conformance/bundle-verify/\(name)/bundle.sigstore.json")
    }

    static func requirePython() throws -> URL? {
        if let python = SigstorePythonWitness.python(in: TestPaths.venv) { return python }
        let reason = "sigstore-python not found in \(TestPaths.venv.path) (run `make deps`)"
        if let require = ProcessInfo.processInfo.environment["REQUIRE_VENV"], !require.isEmpty, require != "0" {
            throw WorkflowSchemaTests.SkipRefused(reason: reason)
        }
        print("SKIPPED: \(reason)")
        return nil
    }

    @Test func verifiesARealDSSEBundleForItsIdentity() async throws {
        guard let python = try Self.requirePython() else { return }
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle("happy-path-intoto-in-dsse-v3"),
                                                            trustedRoot: Self.root, identity: Self.identity, issuer: Self.issuer)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let report = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(report["verified"] == true && report["payloadType"] == "application/vnd.in-toto+json")
        #expect(report["subject"]?.arrayValue?.first?["name"] == "a.txt")
    }

    @Test func refusesTheSameBundleForAnotherWorkflow() async throws {
        guard let python = try Self.requirePython() else { return }
        let other = Self.identity.replacingOccurrences(of: "@refs/heads/main", with: "@refs/heads/evil")
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle("happy-path-intoto-in-dsse-v3"),
                                                            trustedRoot: Self.root, identity: other, issuer: Self.issuer)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
    }

    @Test(arguments: ["dsse-invalid-sig_fail", "dsse-mismatch-envelope_fail", "dsse-mismatch-sig_fail"])
    func refusesTamperedDSSEBundles(name: String) async throws {
        guard let python = try Self.requirePython() else { return }
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle(name), trustedRoot: Self.root,
                                                            identity: Self.identity, issuer: Self.issuer)
        #expect(result.status == 1, "\(name): \(result.stdout) \(result.stderr)")
        #expect(try JSONValue.parse(Data(result.stdout.utf8))["verified"] == false)
    }
}
