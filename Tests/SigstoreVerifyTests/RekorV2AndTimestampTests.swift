import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError

/// Mutations of a Rekor v2 bundle (hashedrekord 0.0.2, Ed25519 checkpoint, RFC 3161 timestamp).
@Suite struct RekorV2AndTimestampTests {
    typealias Step = JSONMutation.Step
    static let directory = "sigstore-conformance/bundle-verify/rekor2-happy-path/"
    static let entry: [Step] = [.key("verificationMaterial"), .key("tlogEntries"), .index(0)]
    static let proof: [Step] = entry + [.key("inclusionProof")]
    static let token: [Step] = [.key("verificationMaterial"), .key("timestampVerificationData"), .key("rfc3161Timestamps"), .index(0), .key("signedTimestamp")]

    static func verify(_ json: JSONValue) throws -> VerifiedBundle {
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(directory + "trusted_root.json"))
        let policy = IdentityPolicy(subjectAlternativeName: .exact(MutationTests.identity), issuer: MutationTests.issuer)
        return try BundleVerifier(trusted: trusted).verify(try SigstoreBundle(json: JSONField(json)),
                                                           artifact: .bytes([UInt8](try Vectors.data("sigstore-conformance/bundle-verify/a.txt"))),
                                                           signer: .certificate(policy))
    }

    @Test func unmodifiedBundleVerifiesWithTheTimestampTime() throws {
        let verified = try Self.verify(try Vectors.json(Self.directory + "bundle.sigstore.json"))
        #expect(verified.timestamps.count == 1)
    }

    @Test(arguments: [
        ("timestamp token signature", token, JSONMutation.flipBase64Byte(-1), VerificationError.Code.timestampAuthority),
        ("checkpoint signature", proof + [.key("checkpoint"), .key("envelope")], JSONMutation.editString { MutationTests.flipCheckpointSignature($0) }, .checkpoint),
        ("inclusion proof hash", proof + [.key("hashes"), .index(0)], JSONMutation.flipBase64Byte(3), .inclusionProof),
        ("canonicalized body", entry + [.key("canonicalizedBody")], JSONMutation.flipBase64Byte(30), .inclusionProof),
        ("message signature", [.key("messageSignature"), .key("signature")], JSONMutation.flipBase64Byte(-1), .timestampAuthority),
        // Unsigned in v2 (no SET): bound to the proof's index, which the checkpoint covers.
        ("entry log index", entry + [.key("logIndex")], JSONMutation.addToInteger(1), .inclusionProof),
    ] as [(String, [Step], @Sendable (JSONValue) -> JSONValue, VerificationError.Code)])
    func mutationFailsAtItsStep(_ name: String, _ path: [Step], _ transform: @Sendable (JSONValue) -> JSONValue, _ expected: VerificationError.Code) throws {
        let mutated = JSONMutation.apply(try Vectors.json(Self.directory + "bundle.sigstore.json"), at: path, transform)
        let error = #expect(throws: VerificationError.self) { try Self.verify(mutated) }
        #expect(error?.code == expected, "\(name): \(error.map(String.init(describing:)) ?? "no error")")
    }
}
