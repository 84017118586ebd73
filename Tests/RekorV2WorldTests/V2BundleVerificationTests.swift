import Foundation
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// A provenance bundle of the v2 world, as public-good's newest clients write it, verifies with our
/// consumer (`BundleVerifier`, OpenSSL) under the world's trusted root and the job's identity, and
/// fails when its timestamp is dropped, its checkpoint altered or its leaf moved.
@Suite("Rekor v2 world bundles")
struct V2BundleVerificationTests {
    static let identity = IdentityPolicy(
        subjectAlternativeName: .exact("https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0"),
        issuer: "https://token.actions.githubusercontent.com",
        extensions: [.sourceRepositoryURI: "https://github.com/mochi-lang/mochi", .sourceRepositoryRef: "refs/tags/v1.1.0"])
    static let entry = ["verificationMaterial", "tlogEntries", "0"]

    func verify(_ bundle: JSONValue) async throws -> VerifiedBundle {
        try await V2World.shared.verifier().verify(bundleJSON: try bundle.serialized(), artifact: nil, signer: .certificate(Self.identity))
    }

    /// Expects `bundle` to fail verification at one of `steps`.
    func expectFailure(_ bundle: JSONValue, at steps: Set<VerificationError.Code>, _ what: String) async throws {
        do {
            _ = try await verify(bundle)
            Issue.record("a bundle with \(what) verified")
        } catch let error as VerificationError {
            #expect(steps.contains(error.code), "\(what): failed at \(error.code), expected one of \(steps.map(\.rawValue)): \(error)")
        }
    }

    @Test func theBundleHasPublicGoodsRekorV2Shape() async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        #expect(bundle["mediaType"]?.stringValue == "application/vnd.dev.sigstore.bundle.v0.3+json")
        let entry = try #require(JSONEdit.get(bundle, Self.entry))
        #expect(entry["kindVersion"]?["kind"]?.stringValue == "hashedrekord" && entry["kindVersion"]?["version"]?.stringValue == "0.0.2")
        #expect(entry["inclusionPromise"] == nil && entry["integratedTime"] == nil)
        #expect(entry["inclusionProof"]?["checkpoint"]?["envelope"]?.stringValue?.hasPrefix("log2025-1.rekor.fixture.invalid\n") == true)
        let timestamps = bundle["verificationMaterial"]?["timestampVerificationData"]?["rfc3161Timestamps"]?.arrayValue ?? []
        #expect(timestamps.count == 1 && timestamps[0]["signedTimestamp"]?.stringValue != nil)
    }

    @Test func theBundleVerifiesWithOurConsumer() async throws {
        let verified = try await verify(try await V2World.shared.provenanceBundle())
        #expect(verified.identity?[.sourceRepositoryRef] == "refs/tags/v1.1.0")
        #expect(verified.timestamps.count == 1)  // the timestamp authority's: a v2 entry signs no time
    }

    @Test func droppingTheTimestampFailsIt() async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let dropped = JSONEdit.set(bundle, ["verificationMaterial", "timestampVerificationData", "rfc3161Timestamps"], .array([]))
        try await expectFailure(dropped, at: [.timestampThreshold], "no RFC 3161 timestamp")
    }

    @Test func aTimestampOverOtherBytesFailsIt() async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let other = try await V2World.shared.provenanceBundle("@mochi%2fexample@1.0.0")
        let path = ["verificationMaterial", "timestampVerificationData", "rfc3161Timestamps"]
        try await expectFailure(JSONEdit.set(bundle, path, JSONEdit.get(other, path)), at: [.timestampAuthority], "another bundle's timestamp")
    }

    @Test(arguments: ["root", "size", "signature", "origin"])
    func alteringTheCheckpointFailsIt(_ part: String) async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let path = Self.entry + ["inclusionProof", "checkpoint", "envelope"]
        let note = try #require(JSONEdit.get(bundle, path)?.stringValue)
        var lines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch part {
        case "root": lines[2] = Data(repeating: 7, count: 32).base64EncodedString()
        case "size": lines[1] = String((Int(lines[1]) ?? 0) + 1)
        case "origin": lines[0] = "rekor.fixture.invalid"
        default:
            let signature = lines[4]
            let index = signature.index(signature.endIndex, offsetBy: -6)
            lines[4] = String(signature[..<index]) + (signature[index] == "A" ? "B" : "A") + signature[signature.index(after: index)...]
        }
        try await expectFailure(JSONEdit.set(bundle, path, .string(lines.joined(separator: "\n"))), at: [.checkpoint],
                                "the checkpoint's \(part) altered")
    }

    @Test func movingTheLeafFailsIt() async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let index = try #require(JSONEdit.get(bundle, Self.entry + ["inclusionProof", "logIndex"])?.stringValue.flatMap { Int($0) })
        let moved = JSONEdit.set(bundle, Self.entry + ["inclusionProof", "logIndex"], .string(String(index == 0 ? 1 : index - 1)))
        try await expectFailure(moved, at: [.inclusionProof], "the inclusion proof's leaf index moved")
    }

    @Test func anotherBundlesLogEntryFailsIt() async throws {
        let bundle = try await V2World.shared.provenanceBundle()
        let other = try await V2World.shared.provenanceBundle("@mochi%2fexample@1.0.0")
        try await expectFailure(JSONEdit.set(bundle, Self.entry, JSONEdit.get(other, Self.entry)), at: [.tlogBody],
                                "another bundle's log entry")
    }
}
