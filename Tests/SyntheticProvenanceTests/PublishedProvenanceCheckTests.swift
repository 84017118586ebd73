import FixtureRegistry
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import SafeJSON
import Tarball
import Testing

/// The fixture registry verifies a published provenance bundle as npm's registry does (found by
/// review: it stored one signed by anyone, and read the repository from the unsigned statement).
@Suite struct PublishedProvenanceCheckTests {
    static let manifest: [String: JSONValue] = ["name": "@mochi/example", "version": "9.0.0", "license": "MIT",
                                                "repository": ["type": "git", "url": "git+https://github.com/mochi-lang/mochi.git"]]

    @Test func aBundleIsVerifiedAndItsCertificateNamesTheRepositoryAndRunner() async throws {
        try await withScratch("published-provenance") { folder in
            let world = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"), world: RegistryWorldLink(world: world))
            let publisher = InProcessTrustedPublisher(world: world, storage: storage, registryURL: "http://127.0.0.1:9/")
            func publish(_ version: String, job: GitHubActionsJob) async throws {
                var manifest = Self.manifest
                manifest["version"] = .string(version)
                let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
                try await publisher.publish(name: "@mochi/example", version: version, manifest: manifest, tarball: tarball, tag: "latest", job: job)
            }
            try await publish("9.0.0", job: WorldPublisher.job(forVersion: "9.0.0"))

            // The stored bundle verifies against this world, names the repository, and not against another world.
            let document = try #require(try storage.attestations(for: PackageName("@mochi/example"), version: "9.0.0"))
            let bundle = try #require(try JSONValue.parse(document)["attestations"]?.arrayValue?
                .first { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/") == true }?["bundle"])
            let signer = try WorldProvenanceSigners(world: world).signer(of: bundle)
            #expect(signer.repository == "https://github.com/mochi-lang/mochi")
            #expect(signer.runnerEnvironment == "github-hosted")
            let other = try await SigstoreWorld(directory: folder.appendingPathComponent("other"))
            #expect(throws: (any Error).self) { try WorldProvenanceSigners(world: other).signer(of: bundle) }
            var tampered = try #require(bundle.objectValue), envelope = try #require(bundle["dsseEnvelope"]?.objectValue)
            envelope["payload"] = .string(Data("{}".utf8).base64EncodedString())
            tampered["dsseEnvelope"] = .object(envelope)
            #expect(throws: (any Error).self) { try WorldProvenanceSigners(world: world).signer(of: .object(tampered)) }
            // Found by a re-attack: a second certificate beside the first (npm's reader would take the chain's).
            var doubled = try #require(bundle.objectValue), material = try #require(bundle["verificationMaterial"]?.objectValue)
            let leaf = try #require(material["certificate"])
            material["x509CertificateChain"] = ["certificates": [leaf]]
            doubled["verificationMaterial"] = .object(material)
            #expect(throws: (any Error).self) { try WorldProvenanceSigners(world: world).signer(of: .object(doubled)) }

            // A self-hosted runner is refused with npm's 422, and nothing of that version is stored.
            var selfHosted = WorldPublisher.job(forVersion: "9.0.1")
            selfHosted.runnerEnvironment = "self-hosted"
            let refused = await #expect(throws: RegistryError.self) { try await publish("9.0.1", job: selfHosted) }
            #expect("\(refused.map { "\($0)" } ?? "")".contains("Unsupported GitHub Actions runner environment"))
            #expect(!storage.hasVersion(try PackageName("@mochi/example"), "9.0.1"))
            // So is a repository that is not public, with npm's wording.
            var privateRepository = WorldPublisher.job(forVersion: "9.0.2")
            privateRepository.repositoryVisibility = "private"
            let hidden = await #expect(throws: RegistryError.self) { try await publish("9.0.2", job: privateRepository) }
            #expect("\(hidden.map { "\($0)" } ?? "")".contains("Unsupported GitHub Actions source repository visibility: \"private\""))
        }
    }
}
