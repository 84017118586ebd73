import FixtureRegistry
import FixtureTesting
import Foundation
import Harness
import NpmVerify
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import FixtureSigstore
import Publish

extension Phase12NpmPublish {
    /// Publishes a new version through the emitted workflow's job and checks what the registry
    /// advertises: `dist.attestations` with the SLSA provenance predicate, and a provenance bundle
    /// whose Sigstore signature verifies (OpenSSL) under the world's root for exactly that job.
    func attestationGenerated() async throws {
        let world = try await GateWorld.shared.world()
        let source = Scratch.path("source")
        let project = Scratch.path("project")
        defer { for url in [source, project] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.copyItem(at: Repository.seedPackages.appendingPathComponent("@mochi/example/1.1.0"), to: source)
        let manifestURL = source.appendingPathComponent("package.json")
        var manifest = try JSONValue.parse(Data(contentsOf: manifestURL)).objectValue ?? [:]
        manifest["version"] = "1.2.0-gate.1"
        try JSONValue.object(manifest).serialized(pretty: true).write(to: manifestURL)

        let job = WorldPublisher.job(forVersion: "1.2.0-gate.1")
        let published = try await world.publisher().publish(packageDirectory: source, project: project, job: job, tag: "gate")

        let packument = try await GateHTTP.json(world.registryURL + "@mochi%2fexample")
        let dist = try #require(packument["versions"]?["1.2.0-gate.1"]?["dist"])
        #expect(dist["integrity"]?.stringValue == published.package.integrity)
        #expect(dist["attestations"]?["provenance"]?["predicateType"]?.stringValue == "https://slsa.dev/provenance/v1")
        let attestationsPath = try #require(dist["attestations"]?["url"]?.stringValue)
        let response = try await GateHTTP.data(attestationsPath.hasPrefix("http") ? attestationsPath
                                               : world.registryURL + attestationsPath.drop { $0 == "/" })
        let keys = try RegistryKey.parseKeysDocument(try await GateHTTP.data(world.registryURL + "-/npm/v1/keys"))
        let trusted = try TrustedMaterial(TrustedRoot(jsonData: Data(contentsOf: world.trustedRootFile)))
        let policy = IdentityPolicy(
            subjectAlternativeName: .exact("https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.2.0-gate.1"),
            issuer: "https://token.actions.githubusercontent.com",
            extensions: [.sourceRepositoryURI: "https://github.com/mochi-lang/mochi", .sourceRepositoryRef: "refs/tags/v1.2.0-gate.1",
                         .sourceRepositoryDigest: job.sha, .runnerEnvironment: "github-hosted"])
        let verdicts = try AttestationVerifier(trusted: trusted, keys: keys, provenancePolicy: policy)
            .verify(response: response, package: PackageIdentity(name: "@mochi/example", version: "1.2.0-gate.1", integrity: published.package.integrity))
        #expect(verdicts.count == 2)
        for verdict in verdicts { #expect(verdict.failure == nil, "\(verdict.predicateType): \(verdict.failure ?? "")") }
        let provenance = try #require(verdicts.first { $0.predicateType == "https://slsa.dev/provenance/v1" })
        let verified = try provenance.result.get()
        #expect(verified.identity?[.buildSignerURI] == "https://github.com/mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.2.0-gate.1")
    }
}
