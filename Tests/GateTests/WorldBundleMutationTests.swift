import Foundation
import Harness
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError

/// Every provenance bundle the world produces verifies with our OpenSSL verifier under the world's
/// root and the job's identity; altering any one part makes it fail at the step that checks that part.
@Suite("World bundles under mutation")
struct WorldBundleMutationTests {
    static let identity = IdentityPolicy(
        subjectAlternativeName: .exact("https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0"),
        issuer: "https://token.actions.githubusercontent.com",
        extensions: [.sourceRepositoryURI: "https://github.com/mochi-lang/mochi", .sourceRepositoryRef: "refs/tags/v1.1.0"])

    /// The provenance bundle of @mochi/example@1.1.0 and a verifier under the world's root.
    func material() async throws -> (bundle: JSONValue, verifier: BundleVerifier) {
        let world = try await GateWorld.shared.world()
        let response = try await GateHTTP.json(world.registryURL + "-/npm/v1/attestations/@mochi%2fexample@1.1.0")
        let entry = try #require(response["attestations"]?.arrayValue?.first { $0["predicateType"]?.stringValue == "https://slsa.dev/provenance/v1" })
        let trusted = try TrustedMaterial(TrustedRoot(jsonData: Data(contentsOf: world.trustedRootFile)))
        return (try #require(entry["bundle"]), BundleVerifier(trusted: trusted))
    }

    func verify(_ bundle: JSONValue, with verifier: BundleVerifier) throws -> VerifiedBundle {
        try verifier.verify(bundleJSON: try bundle.serialized(), artifact: nil, signer: .certificate(Self.identity))
    }

    @Test func theWorldsBundleVerifies() async throws {
        let (bundle, verifier) = try await material()
        let verified = try verify(bundle, with: verifier)
        #expect(verified.identity?[.sourceRepositoryRef] == "refs/tags/v1.1.0")
    }

    /// (path to a base64 field, the steps that may be the first to fail). The log entry is checked
    /// before the signature: an altered signature or payload first no longer matches what was logged.
    static let mutations: [(String, Set<VerificationError.Code>)] = [
        ("dsseEnvelope.signatures.0.sig", [.tlogBody, .signature]),
        ("dsseEnvelope.payload", [.tlogBody, .signature]),
        ("verificationMaterial.certificate.rawBytes", [.certificateChain, .leafProfile, .certificateTransparency, .bundleFormat]),
        ("verificationMaterial.tlogEntries.0.inclusionPromise.signedEntryTimestamp", [.signedEntryTimestamp]),
        ("verificationMaterial.tlogEntries.0.inclusionProof.rootHash", [.inclusionProof, .checkpoint]),
        ("verificationMaterial.tlogEntries.0.canonicalizedBody", [.signedEntryTimestamp, .inclusionProof]),
    ]

    @Test(arguments: 0..<mutations.count)
    func alteringOnePartFailsItsStep(_ index: Int) async throws {
        let (path, steps) = Self.mutations[index]
        let (bundle, verifier) = try await material()
        let altered = try #require(Self.flipByte(in: bundle, at: path.split(separator: ".").map(String.init)), "no \(path)")
        do {
            _ = try verify(altered, with: verifier)
            Issue.record("a bundle with \(path) altered verified")
        } catch let error as VerificationError {
            #expect(steps.contains(error.code), "\(path): failed at \(error.code), expected one of \(steps.map(\.rawValue)): \(error)")
        }
    }

    @Test func alteringTheCheckpointFailsIt() async throws {
        let (bundle, verifier) = try await material()
        let path = ["verificationMaterial", "tlogEntries", "0", "inclusionProof", "checkpoint", "envelope"]
        let altered = try #require(Self.edit(bundle, at: path) { value in
            guard case .string(let text) = value else { return nil }
            return .string(text.replacingOccurrences(of: "fixture-rekor", with: "fixture-rekxr"))
        })
        #expect(throws: VerificationError.self) { try verify(altered, with: verifier) }
    }

    /// The bundle with one byte of the base64 field at `path` flipped (decoded, flipped, re-encoded).
    static func flipByte(in value: JSONValue, at path: [String]) -> JSONValue? {
        edit(value, at: path) { field in
            guard case .string(let text) = field, var bytes = Data(base64Encoded: text), !bytes.isEmpty else { return nil }
            let index = bytes.count / 2
            bytes[index] ^= 0x01
            return .string(bytes.base64EncodedString())
        }
    }

    static func edit(_ value: JSONValue, at path: [String], _ change: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard let key = path.first else { return change(value) }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var object):
            guard let child = object[key], let edited = edit(child, at: rest, change) else { return nil }
            object[key] = edited
            return .object(object)
        case .array(var array):
            guard let index = Int(key), array.indices.contains(index), let edited = edit(array[index], at: rest, change) else { return nil }
            array[index] = edited
            return .array(array)
        default:
            return nil
        }
    }
}
