import FixtureTesting
import Foundation

/// The bundle `make bench` times, its vectors read in place from `../shared/vectors`, and the two verifiers.
enum BenchCase {
    static let vectors: URL = Repository.vectors
    static let conformance = vectors.appendingPathComponent("sigstore-conformance/bundle-verify")

    static let happyBundle = conformance.appendingPathComponent("happy-path-intoto-in-dsse-v3/bundle.sigstore.json")
    static let invalidSignatureBundle = conformance.appendingPathComponent("dsse-invalid-sig_fail/bundle.sigstore.json")
    static let artifact = conformance.appendingPathComponent("a.txt")
    static let productionRoot = vectors.appendingPathComponent("public-good/trusted_root.sigstore-python-embedded.json")
    static let identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let issuer = "https://token.actions.githubusercontent.com"

    /// The real SLSA provenance bundle of sigstore@2.3.1 (v0.2, intoto/0.0.2 with inclusion proof), npm's TUF root.
    static let npmAttestations = vectors.appendingPathComponent("npm-real/slsa-verifier/provenance-npm-test-cli-v1-prega.tgz.json")
    static let npmRoot = vectors.appendingPathComponent("public-good/trusted_root.json")
    static let npmIdentity = "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"

    /// Writes the provenance bundle of the npm attestations response to a temporary file.
    static func npmProvenanceBundle() throws -> URL {
        let response = try JSONSerialization.jsonObject(with: Data(contentsOf: npmAttestations)) as? [String: Any]
        let attestations = response?["attestations"] as? [[String: Any]] ?? []
        guard let bundle = attestations.first(where: { ($0["predicateType"] as? String)?.hasPrefix("https://slsa.dev/provenance/") == true })?["bundle"] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: npmAttestations.path])
        }
        let url = Scratch.path("npm-provenance.json")
        try JSONSerialization.data(withJSONObject: bundle).write(to: url)
        return url
    }

    /// The options both verifiers share (the bench script passes exactly these).
    static func options(bundle: URL = happyBundle, root: URL = productionRoot, identity: String = identity, repeat count: Int) -> [String] {
        ["--repeat", String(count), "--bundle", bundle.path, "--trusted-root", root.path,
         "--certificate-identity", identity, "--certificate-oidc-issuer", issuer]
    }

    /// The built `verify-bench` of this build (fails clearly when it is not built).
    static var verifyBench: URL {
        get throws { try Products.executable("verify-bench") }
    }

    static let sigstoreJSScript = Repository.root.appendingPathComponent("scripts/bench_sigstore_js.js")

    /// The `{"verified": N, "seconds": S, "per_second": R, ...}` line both verifiers print.
    struct Throughput: Decodable {
        let verified: Int
        let seconds: Double
        let per_second: Double
    }

    static func throughput(_ result: ProcessResult) throws -> Throughput {
        try JSONDecoder().decode(Throughput.self, from: Data(result.stdout.utf8))
    }
}
