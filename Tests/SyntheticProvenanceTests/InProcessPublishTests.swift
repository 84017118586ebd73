import CurlTransport
import FixtureRegistry
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import NpmVerify
import Publish
import SafeJSON
import SigstoreVerify
import Testing

/// `fixture-registry generate --provenance` publishes in process what the trusted-publishing
/// job publishes over HTTP: both land in one registry of one world, and must verify the same
/// way and have the same shape.
@Suite struct InProcessPublishTests {
    @Test func inProcessPublishHasTheHTTPFlowsShapeAndVerifies() async throws {
        let folder = Scratch.path("synthetic-provenance")
        defer { Scratch.remove(folder) }
        let generator = SyntheticRegistry(count: 2)
        let versions = try generator.versions().versions
        let viaHTTP = versions[0], inProcess = versions[1]
        #expect(viaHTTP.name == inProcess.name)
        let repository = generator.repository(viaHTTP.index)

        let sigstore = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
        let services = try await WorldServer.start(sigstore)
        let config = RegistryConfig(trustedPublishers: [viaHTTP.name: TrustedPublisher(
            repository: repository, workflow: "mochi-publish-npm.yml", user: "bench-publisher")])
        let storage = try RegistryStorage(directory: folder, config: config, world: RegistryWorldLink(world: sigstore))
        let registry = try await FixtureRegistryServer.start(storage: storage)
        let http = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 2))
        do {
            // The HTTP flow: OIDC token, exchange, Fulcio, Rekor, PUT.
            let job = WorldPublisher.job(forVersion: viaHTTP.version, repository: repository)
            let environment = try GitHubActionsEnvironment(
                environment: try await WorldPublisher(registryURL: registry.baseURL, services: services).environment(of: job))
            let client = try TrustedPublishingClient(
                configuration: .init(registry: registry.baseURL, fulcioURL: services.fulcioURL, rekorURL: services.rekorURL), http: http)
            _ = try await client.run(package: Self.packed(viaHTTP), job: environment)
            // The in-process path.
            try await InProcessTrustedPublisher(world: sigstore, storage: storage, registryURL: registry.baseURL).publish(
                name: inProcess.name, version: inProcess.version, manifest: inProcess.manifest, tarball: inProcess.tarball,
                tag: "latest", job: WorldPublisher.job(forVersion: inProcess.version, repository: repository))

            let keysResponse = try await http.send(HTTPRequest(url: registry.baseURL + "-/npm/v1/keys", headers: ["Accept": "application/json"]))
            let keys = try RegistryKey.parseKeysDocument(keysResponse.body)
            let trusted = try TrustedMaterial(jsonData: try sigstore.trustedRootData())
            var documents: [JSONValue] = []
            for item in [viaHTTP, inProcess] {
                let response = try #require(try storage.attestations(for: PackageName(item.name), version: item.version),
                                            "no attestations stored for \(item.name)@\(item.version)")
                let policy = IdentityPolicy(
                    subjectAlternativeName: .exact("https://github.com/\(repository)/.github/workflows/mochi-publish-npm.yml@refs/tags/v\(item.version)"),
                    issuer: SigstoreWorld.githubIssuer,
                    extensions: [.sourceRepositoryURI: "https://github.com/\(repository)", .sourceRepositoryRef: "refs/tags/v\(item.version)"])
                let verdicts = try AttestationVerifier(trusted: trusted, keys: keys, provenancePolicy: policy)
                    .verify(response: response, package: PackageIdentity(name: item.name, version: item.version,
                                                                         integrity: Self.packed(item).integrity))
                #expect(verdicts.count == 2, "\(item.name)@\(item.version)")
                for verdict in verdicts { #expect(verdict.failure == nil, "\(item.version) \(verdict.predicateType): \(verdict.failure ?? "")") }
                documents.append(try JSONValue.parse(response))
            }
            #expect(Self.skeleton(documents[0]) == Self.skeleton(documents[1]))
            let statements = try documents.map(Self.provenanceStatement)
            #expect(Self.skeleton(statements[0]) == Self.skeleton(statements[1]))
            #expect(statements[1]["subject"]?.arrayValue?.first?["name"]?.stringValue == "pkg:npm/%40bench/pkg-00000@\(inProcess.version)")
            let packument = try #require(try storage.packument(for: PackageName(viaHTTP.name)))
            let stored = try [viaHTTP, inProcess].map { try #require(packument.versions[$0.version]) }
            #expect(Self.skeleton(stored[0]) == Self.skeleton(stored[1]))

            // The in-process attestations do not verify for another version: the checks above are not vacuous.
            let other = try #require(try storage.attestations(for: PackageName(inProcess.name), version: inProcess.version))
            let refused = try AttestationVerifier(trusted: trusted, keys: keys).verify(
                response: other, package: PackageIdentity(name: viaHTTP.name, version: viaHTTP.version, integrity: Self.packed(viaHTTP).integrity))
            #expect(refused.contains { $0.failure != nil })
        } catch {
            http.shutdown(); await registry.stop(); await services.stop()
            throw error
        }
        http.shutdown(); await registry.stop(); await services.stop()
    }

    static func packed(_ version: SyntheticRegistry.Version) -> PackedPackage {
        PackedPackage(name: version.name, version: version.version, manifest: version.manifest, tarball: version.tarball)
    }

    /// The SLSA statement inside the provenance bundle of an attestations document.
    static func provenanceStatement(_ document: JSONValue) throws -> JSONValue {
        let provenance = try #require(document["attestations"]?.arrayValue?.first { $0["predicateType"]?.stringValue == "https://slsa.dev/provenance/v1" })
        let payload = try #require(provenance["bundle"]?["dsseEnvelope"]?["payload"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        return try JSONValue.parse(payload)
    }

    /// Keys and value kinds, with the values that name formats kept (media types, entry kinds).
    static func skeleton(_ value: JSONValue, key: String = "") -> String {
        let kept: Set = ["mediaType", "kind", "predicateType", "payloadType", "_type", "buildType"]
        if let object = value.objectValue {
            return "{" + object.keys.sorted().map { "\($0):" + skeleton(object[$0]!, key: $0) }.joined(separator: ",") + "}"
        }
        // An inclusion proof's audit path depends on the entry's place in the tree, not on its shape.
        if key == "hashes" { return "[hashes]" }
        if let array = value.arrayValue { return "[" + Set(array.map { skeleton($0) }).sorted().joined(separator: "|") + "]" }
        if let string = value.stringValue { return kept.contains(key) ? string : "s" }
        return value.numberValue != nil ? "n" : "\(value)"
    }
}
