import CodedError
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import NpmVerify
import Publish
import SafeJSON
import SigstoreVerify
import Synchronization
import Tarball
import Testing

/// npm logs a version's SLSA provenance before it publishes, and the registry then attests the
/// publish. A provenance logged after that, by anyone's workflow over the published digest, is not
/// the publish's own: a response carrying it in place of the genuine one is refused.
@Suite struct LateProvenanceTests {
    @Test func aProvenanceLoggedAnHourAfterThePublishIsRefused() async throws {
        try await withScratch("late-provenance") { folder in
            // The version was published an hour ago (signed times may not lie in the future).
            let hoursAhead = Mutex<Double>(-1)
            let world = try await SigstoreWorld(directory: folder.appendingPathComponent("world"),
                                                clock: { Date().addingTimeInterval(hoursAhead.withLock { $0 } * 3600) })
            let manifest = AmbiguousProvenanceTests.manifest, name = AmbiguousProvenanceTests.name, version = AmbiguousProvenanceTests.version
            let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
            let genuine = try await AmbiguousProvenanceTests.publish(world, folder: folder.appendingPathComponent("a"),
                                                                      job: WorldPublisher.job(forVersion: version), tarball: tarball)
            // Now, another workflow run signs a statement naming the same digest (the publisher
            // refuses a tarball whose package.json names another repository; the rule is the same).
            hoursAhead.withLock { $0 = 0 }
            var laterJob = WorldPublisher.job(forVersion: version)
            laterJob.sha = String(repeating: "e", count: 40)
            let later = try await AmbiguousProvenanceTests.publish(world, folder: folder.appendingPathComponent("b"), job: laterJob, tarball: tarball)
            let trusted = try TrustedMaterial(jsonData: try world.trustedRootData())
            let identity = PackageIdentity(name: name, version: version,
                                           integrity: PackedPackage(name: name, version: version, manifest: manifest, tarball: tarball).integrity)
            let verifier = AttestationVerifier(trusted: trusted, keys: genuine.keys)
            let entries = try #require(genuine.response["attestations"]?.arrayValue)
            let publishAttestation = try #require(entries.first { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/") == false })
            #expect(try verifier.verify(response: genuine.response.serialized(), package: identity).allSatisfy { $0.failure == nil })

            let late = try AmbiguousProvenanceTests.provenance(later.response)
            for order in [[publishAttestation, late], [late, publishAttestation]] {
                let response = try JSONValue.object(["attestations": .array(order)]).serialized()
                let error = #expect(throws: NpmVerifyError.self) { _ = try verifier.verify(response: response, package: identity) }
                #expect(error?.code == .provenanceAfterPublish)
                #expect(error?.message.contains("s after the registry attested the publish") == true, "\(error?.message ?? "accepted")")
            }
            // With the publish attestation of its own registry (made after it), the late provenance
            // verifies: the bundle is valid, and the refusal comes from its order with the publish.
            let own = AttestationVerifier(trusted: trusted, keys: later.keys)
            #expect(try own.verify(response: later.response.serialized(), package: identity).allSatisfy { $0.failure == nil })
        }
    }
}
