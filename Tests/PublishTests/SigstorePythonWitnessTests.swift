import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// The sigstore-python witness itself, proven on real public-good DSSE bundles (sigstore-conformance
/// vectors, Rekor v1 `dsse` 0.0.1) before the fixture world's bundles are put in front of it.
@Suite(.requires(.venv)) struct SigstorePythonWitnessTests {
    static let vectors = Repository.vectors
    static let root = vectors.appendingPathComponent("public-good/trusted_root.sigstore-python-embedded.json")
    static let identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let issuer = "https://token.actions.githubusercontent.com"

    static func bundle(_ name: String) -> URL {
        vectors.appendingPathComponent("sigstore-conformance/bundle-verify/\(name)/bundle.sigstore.json")
    }

    @Test func verifiesARealDSSEBundleForItsIdentity() async throws {
        let python = SigstorePythonWitness.python
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle("happy-path-intoto-in-dsse-v3"),
                                                            trustedRoot: Self.root, identity: Self.identity, issuer: Self.issuer)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let report = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(report["verified"] == true && report["payloadType"] == "application/vnd.in-toto+json")
        #expect(report["subject"]?.arrayValue?.first?["name"] == "a.txt")
    }

    @Test func refusesTheSameBundleForAnotherWorkflow() async throws {
        let python = SigstorePythonWitness.python
        let other = Self.identity.replacingOccurrences(of: "@refs/heads/main", with: "@refs/heads/evil")
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle("happy-path-intoto-in-dsse-v3"),
                                                            trustedRoot: Self.root, identity: other, issuer: Self.issuer)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
    }

    @Test(arguments: ["dsse-invalid-sig_fail", "dsse-mismatch-envelope_fail", "dsse-mismatch-sig_fail"])
    func refusesTamperedDSSEBundles(name: String) async throws {
        let python = SigstorePythonWitness.python
        let result = try await SigstorePythonWitness.verify(python: python, bundle: Self.bundle(name), trustedRoot: Self.root,
                                                            identity: Self.identity, issuer: Self.issuer)
        #expect(result.status == 1, "\(name): \(result.stdout) \(result.stderr)")
        #expect(try JSONValue.parse(Data(result.stdout.utf8))["verified"] == false)
    }
}
