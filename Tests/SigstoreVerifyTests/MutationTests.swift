import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError

/// Changing any signed byte of a good bundle fails with an error naming the step.
@Suite struct MutationTests {
    typealias Step = JSONMutation.Step

    /// A v0.3 DSSE bundle (Rekor dsse 0.0.1, SET + inclusion proof + checkpoint) under the production root.
    static let dsseBundle = "sigstore-conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json"
    static let identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let issuer = "https://token.actions.githubusercontent.com"
    static let entry: [Step] = [.key("verificationMaterial"), .key("tlogEntries"), .index(0)]
    static let proof: [Step] = entry + [.key("inclusionProof")]

    struct Mutation: Sendable, CustomStringConvertible {
        let description: String
        let path: [Step]
        let transform: @Sendable (JSONValue) -> JSONValue
        let expected: VerificationError.Code
    }

    static let mutations: [Mutation] = [
        Mutation(description: "DSSE payload byte", path: [.key("dsseEnvelope"), .key("payload")],
                 transform: JSONMutation.flipBase64Byte(10), expected: .tlogBody),
        Mutation(description: "DSSE signature byte", path: [.key("dsseEnvelope"), .key("signatures"), .index(0), .key("sig")],
                 transform: JSONMutation.flipBase64Byte(-1), expected: .tlogBody),
        Mutation(description: "leaf certificate signature byte", path: [.key("verificationMaterial"), .key("certificate"), .key("rawBytes")],
                 transform: JSONMutation.flipBase64Byte(-1), expected: .certificateChain),
        Mutation(description: "leaf certificate key byte", path: [.key("verificationMaterial"), .key("certificate"), .key("rawBytes")],
                 transform: JSONMutation.flipBase64Byte(300), expected: .certificateChain),
        Mutation(description: "inclusion proof hash", path: proof + [.key("hashes"), .index(3)],
                 transform: JSONMutation.flipBase64Byte(0), expected: .inclusionProof),
        Mutation(description: "inclusion proof root hash", path: proof + [.key("rootHash")],
                 transform: JSONMutation.flipBase64Byte(5), expected: .inclusionProof),
        Mutation(description: "checkpoint signature", path: proof + [.key("checkpoint"), .key("envelope")],
                 transform: JSONMutation.editString { Self.flipCheckpointSignature($0) }, expected: .checkpoint),
        Mutation(description: "checkpoint origin", path: proof + [.key("checkpoint"), .key("envelope")],
                 transform: JSONMutation.editString { "x" + $0 }, expected: .checkpoint),
        Mutation(description: "signed entry timestamp", path: entry + [.key("inclusionPromise"), .key("signedEntryTimestamp")],
                 transform: JSONMutation.flipBase64Byte(-2), expected: .signedEntryTimestamp),
        Mutation(description: "log index", path: entry + [.key("logIndex")],
                 transform: JSONMutation.addToInteger(1), expected: .signedEntryTimestamp),
        Mutation(description: "integrated time", path: entry + [.key("integratedTime")],
                 transform: JSONMutation.addToInteger(1), expected: .signedEntryTimestamp),
        Mutation(description: "canonicalized body", path: entry + [.key("canonicalizedBody")],
                 transform: JSONMutation.flipBase64Byte(40), expected: .signedEntryTimestamp),
        Mutation(description: "log id", path: entry + [.key("logId"), .key("keyId")],
                 transform: JSONMutation.flipBase64Byte(0), expected: .unknownLog),
    ]

    static func flipCheckpointSignature(_ note: String) -> String {
        guard let range = note.range(of: "\n\n") else { return note }
        let lines = note[range.upperBound...].split(separator: " ")
        guard let blob = lines.last, var bytes = Data(base64Encoded: String(blob.dropLast())).map({ [UInt8]($0) }) else { return note }
        bytes[bytes.count - 1] ^= 1
        return String(note[..<range.upperBound]) + lines.dropLast().joined(separator: " ") + " " + Data(bytes).base64EncodedString() + "\n"
    }

    static func verify(_ json: JSONValue, artifact: Artifact? = nil, policy: IdentityPolicy? = nil) throws -> VerifiedBundle {
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(Vectors.productionRoot))
        let bundle = try SigstoreBundle(json: JSONField(json))
        let signer = BundleVerifier.SignerPolicy.certificate(policy ?? IdentityPolicy(subjectAlternativeName: .exact(identity), issuer: issuer))
        return try BundleVerifier(trusted: trusted).verify(bundle, artifact: artifact, signer: signer)
    }

    static var artifact: Artifact { get throws { .bytes([UInt8](try Vectors.data("sigstore-conformance/bundle-verify/a.txt"))) } }

    @Test func unmodifiedBundleVerifies() throws {
        let verified = try Self.verify(try Vectors.json(Self.dsseBundle), artifact: try Self.artifact)
        #expect(verified.identity?.subjectAlternativeName == Self.identity)
        #expect(verified.statement?.subjects.isEmpty == false)
    }

    @Test(arguments: mutations)
    func mutationFailsAtItsStep(_ mutation: Mutation) throws {
        let mutated = JSONMutation.apply(try Vectors.json(Self.dsseBundle), at: mutation.path, mutation.transform)
        let error = #expect(throws: VerificationError.self) { try Self.verify(mutated, artifact: try Self.artifact) }
        #expect(error?.code == mutation.expected, "\(mutation): \(error.map(String.init(describing:)) ?? "no error")")
    }

    @Test func otherArtifactFailsAtArtifactStep() throws {
        let error = #expect(throws: VerificationError.self) { try Self.verify(try Vectors.json(Self.dsseBundle), artifact: .bytes(Array("other".utf8))) }
        #expect(error?.code == .artifact)
    }

    @Test(arguments: [
        IdentityPolicy(subjectAlternativeName: .exact("https://github.com/other/repo/.github/workflows/x.yml@refs/heads/main"), issuer: issuer),
        IdentityPolicy(subjectAlternativeName: .exact(identity), issuer: "https://accounts.google.com"),
        IdentityPolicy(subjectAlternativeName: .regex("https://github\\.com/other/.*")),
        IdentityPolicy(extensions: [.sourceRepositoryURI: "https://github.com/other/repo"]),
    ])
    func identityPolicyMismatchFails(_ policy: IdentityPolicy) throws {
        let error = #expect(throws: VerificationError.self) { try Self.verify(try Vectors.json(Self.dsseBundle), policy: policy) }
        #expect(error?.code == .identityPolicy)
    }

    @Test func identityRegexAndExtensionsPass() throws {
        let repository = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon"
        let policy = IdentityPolicy(subjectAlternativeName: .regex("https://github\\.com/sigstore-conformance/.*@refs/heads/main"),
                                    issuer: Self.issuer, extensions: [.sourceRepositoryURI: repository])
        _ = try Self.verify(try Vectors.json(Self.dsseBundle), policy: policy)
    }
}
