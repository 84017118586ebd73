import FixtureTesting
import Foundation
import SafeJSON
import Testing
import Harness

/// The independent witness: sigstore-python 4.5.1 (venv of `make deps`) verifies the v2 world's
/// provenance bundle offline under the world's trusted root (Rekor v2 entry, checkpoint signed
/// with the log's Ed25519 key, RFC 3161 timestamp as the only signed time), and refuses it with
/// the timestamp dropped, the checkpoint altered or the leaf moved.
@Suite("sigstore-python verifies Rekor v2 world bundles", .requires(.venv))
struct V2SigstorePythonTests {
    static let identity = "https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0"
    static let entry = ["verificationMaterial", "tlogEntries", "0"]

    func run(_ bundle: JSONValue) async throws -> ProcessResult {
        try await withScratch("sigstore-python-v2") { folder in
            let file = folder.appendingPathComponent("provenance.sigstore.json")
            try bundle.serialized().write(to: file)
            return try await SigstorePythonWitness.verify(python: SigstorePythonWitness.python, bundle: file,
                                                          trustedRoot: try await V2World.shared.world().trustedRootFile,
                                                          identity: Self.identity, issuer: "https://token.actions.githubusercontent.com")
        }
    }

    @Test func acceptsTheV2Bundle() async throws {
        let result = try await run(try await V2World.shared.provenanceBundle())
        #expect(result.status == 0, "sigstore-python: \(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("pkg:npm/%40mochi/example@1.1.0"), "\(result.stdout)")
    }

    @Test(arguments: ["timestamp", "checkpoint", "leaf"])
    func refusesAnAlteredV2Bundle(_ part: String) async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let altered: JSONValue
        switch part {
        case "timestamp":
            altered = JSONEdit.set(bundle, ["verificationMaterial", "timestampVerificationData", "rfc3161Timestamps"], .array([]))
        case "checkpoint":
            let path = Self.entry + ["inclusionProof", "checkpoint", "envelope"]
            var lines = (JSONEdit.get(bundle, path)?.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[2] = Data(repeating: 7, count: 32).base64EncodedString()
            altered = JSONEdit.set(bundle, path, .string(lines.joined(separator: "\n")))
        default:
            let path = Self.entry + ["inclusionProof", "logIndex"]
            let index = Int(JSONEdit.get(bundle, path)?.stringValue ?? "") ?? 0
            altered = JSONEdit.set(bundle, path, .string(String(index == 0 ? 1 : index - 1)))
        }
        let result = try await run(altered)
        // 1: a VerificationError; a malformed bundle (no timestamp, no SET) is refused earlier, with a traceback.
        #expect(result.status != 0, "sigstore-python accepted a bundle with its \(part) altered: \(result.stdout)")
        #expect(!result.stdout.contains("\"verified\": true"))
    }
}
