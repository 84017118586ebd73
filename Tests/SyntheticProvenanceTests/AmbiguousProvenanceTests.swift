import CodedError
import FixtureRegistry
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import NpmVerify
import Publish
import SafeJSON
import SigstoreVerify
import Tarball
import Testing

/// Anyone can sign a statement naming any digest with a certificate for their own workflow: a
/// response with a second SLSA provenance naming another build is ambiguous, and refused, whatever
/// its order; a second one naming the same build is not.
@Suite struct AmbiguousProvenanceTests {
    static let name = "@mochi/example"
    static let version = "9.0.0"

    /// Publishes the same tarball as `name@version` in a registry of its own, from `job`, and returns
    /// its attestations response and the registry's keys.
    static let manifest: [String: JSONValue] = ["name": .string(name), "version": .string(version), "license": "MIT",
                                                "repository": ["type": "git", "url": "git+https://github.com/mochi-lang/mochi.git"]]

    static func publish(_ world: SigstoreWorld, folder: URL, job: GitHubActionsJob, tarball: Data)
        async throws -> (response: JSONValue, keys: [RegistryKey]) {
        let storage = try RegistryStorage(directory: folder, world: RegistryWorldLink(world: world))
        try await InProcessTrustedPublisher(world: world, storage: storage, registryURL: "http://127.0.0.1:9/")
            .publish(name: name, version: version, manifest: manifest, tarball: tarball, tag: "latest", job: job)
        let response = try #require(try storage.attestations(for: PackageName(name), version: version))
        let keys = try RegistryKey.parseKeysDocument(try RegistryKeysTUFTarget.render(storage.keyring.publicKeys))
        return (try JSONValue.parse(response), keys)
    }

    static func provenance(_ response: JSONValue) throws -> JSONValue {
        try #require(response["attestations"]?.arrayValue?.first { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/provenance/") == true })
    }

    @Test func aSecondProvenanceNamingAnotherBuildIsRefusedInEitherOrder() async throws {
        try await withScratch("ambiguous-provenance") { folder in
            let world = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
            let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(Self.manifest).serialized())])
            let genuine = try await Self.publish(world, folder: folder.appendingPathComponent("a"),
                                                 job: WorldPublisher.job(forVersion: Self.version), tarball: tarball)
            var otherJob = WorldPublisher.job(forVersion: Self.version)
            otherJob.sha = String(repeating: "e", count: 40)
            let other = try await Self.publish(world, folder: folder.appendingPathComponent("b"), job: otherJob, tarball: tarball)
            let trusted = try TrustedMaterial(jsonData: try world.trustedRootData())
            let identity = PackageIdentity(name: Self.name, version: Self.version, integrity: PackedPackage(name: Self.name, version: Self.version, manifest: Self.manifest, tarball: tarball).integrity)
            let verifier = AttestationVerifier(trusted: trusted, keys: genuine.keys)
            let entries = try #require(genuine.response["attestations"]?.arrayValue)

            // Each response alone verifies: the second provenance is a valid bundle over the same bytes.
            #expect(try verifier.verify(response: genuine.response.serialized(), package: identity).allSatisfy { $0.failure == nil })
            let foreign = try Self.provenance(other.response)
            for order in [entries + [foreign], [foreign] + entries] {
                let response = try JSONValue.object(["attestations": .array(order)]).serialized()
                let error = #expect(throws: NpmVerifyError.self) { _ = try verifier.verify(response: response, package: identity) }
                #expect(error?.code == .ambiguousProvenance)
                #expect(error?.message.contains(String(repeating: "e", count: 40)) == true, "\(error?.message ?? "accepted")")
            }
            // The same provenance twice names one build.
            let doubled = try JSONValue.object(["attestations": .array(entries + [try Self.provenance(genuine.response)])]).serialized()
            #expect(try verifier.verify(response: doubled, package: identity).allSatisfy { $0.failure == nil })
        }
    }
}
