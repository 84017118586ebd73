import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError

/// One `TrustedMaterial` verifies each distinct certificate link once per process
/// (`VerifiedLinks`), and a warm cache changes no verdict: every mutation of the good bundle
/// still fails at its step after the genuine bundle's links were recorded.
@Suite struct VerifiedLinksTests {
    static func verify(_ json: JSONValue, trusted: TrustedMaterial) throws -> VerifiedBundle {
        let bundle = try SigstoreBundle(json: JSONField(json))
        let policy = IdentityPolicy(subjectAlternativeName: .exact(MutationTests.identity), issuer: MutationTests.issuer)
        return try BundleVerifier(trusted: trusted).verify(bundle, artifact: try MutationTests.artifact, signer: .certificate(policy))
    }

    @Test func linksAreRecordedOnceAndReused() throws {
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(Vectors.productionRoot))
        #expect(trusted.verifiedLinks.count == 0)
        let genuine = try Vectors.json(MutationTests.dsseBundle)
        _ = try Self.verify(genuine, trusted: trusted)
        // leaf → intermediate and intermediate → root.
        #expect(trusted.verifiedLinks.count == 2)
        let copy = trusted  // copies share one cache
        _ = try Self.verify(genuine, trusted: copy)
        #expect(trusted.verifiedLinks.count == 2)
    }

    @Test func everyMutationKeepsItsVerdictWithWarmLinks() throws {
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(Vectors.productionRoot))
        let genuine = try Vectors.json(MutationTests.dsseBundle)
        _ = try Self.verify(genuine, trusted: trusted)
        for mutation in MutationTests.mutations {
            let mutated = JSONMutation.apply(genuine, at: mutation.path, mutation.transform)
            let error = #expect(throws: VerificationError.self, "\(mutation)") { try Self.verify(mutated, trusted: trusted) }
            #expect(error?.code == mutation.expected, "\(mutation): \(error.map(String.init(describing:)) ?? "no error")")
        }
        #expect(trusted.verifiedLinks.count == 2)
        _ = try Self.verify(genuine, trusted: trusted)
    }
}
