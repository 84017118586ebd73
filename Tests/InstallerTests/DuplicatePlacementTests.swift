import CurlTransport
import FixtureRegistry
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import Installer
import RegistryClient
import SafeJSON
import Synchronization
import Tarball
import Testing

/// A version placed at several paths of the tree is one identity: its attestations are fetched and
/// verified once per run, and every copy reports the same verified provenance.
@Suite struct DuplicatePlacementTests {
    @Test func aVersionPlacedTwiceIsVerifiedOnceAndBothCopiesReportItsProvenance() async throws {
        try await HostileMirrorTests.withWorld { world in
            // The root takes leaf 1.0.0; a and b both need leaf 2.0.0, so it is placed under each of them.
            try await Self.publish(world, "@mochi/dup-leaf", "1.0.0")
            try await Self.publish(world, "@mochi/dup-leaf", "2.0.0")
            try await Self.publish(world, "@mochi/dup-a", "1.0.0", dependencies: ["@mochi/dup-leaf": "^2.0.0"])
            try await Self.publish(world, "@mochi/dup-b", "1.0.0", dependencies: ["@mochi/dup-leaf": "^2.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"@mochi/dup-leaf":"1.0.0","@mochi/dup-a":"1.0.0","@mochi/dup-b":"1.0.0"}}"#)
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }

            let fetches = Mutex<[String: Int]>([:])
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            let transport = TamperingTransport(inner: curl) { url, status, body in
                if let range = url.range(of: "/-/npm/v1/attestations/") { fetches.withLock { $0[String(url[range.upperBound...]), default: 0] += 1 } }
                return (status, body)
            }
            let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL), transport: transport)
            let report = try await Installer(client: client, cache: ContentCache(root: project.cache),
                                             provenance: try HostileMirrorTests().settings(world))
                .install(prefix: project.directory, specs: [])

            let copies = report.packages.filter { $0.name == "@mochi/dup-leaf" && $0.version == "2.0.0" }
            #expect(copies.map(\.path).sorted() == ["node_modules/@mochi/dup-a/node_modules/@mochi/dup-leaf",
                                                   "node_modules/@mochi/dup-b/node_modules/@mochi/dup-leaf"])
            #expect(copies.allSatisfy { $0.provenance?.status == .verified }, "\(copies)")
            #expect(report.verified.provenance == report.packages.count)
            let counted = fetches.withLock { $0 }
            #expect(counted["@mochi%2fdup-leaf@2.0.0"] == 1, "\(counted)")
            #expect(counted.values.allSatisfy { $0 == 1 }, "\(counted)")
        }
    }

    /// Publishes `name@version` with provenance through the world's trusted publisher.
    static func publish(_ world: FixtureWorld, _ name: String, _ version: String, dependencies: [String: String] = [:]) async throws {
        var manifest: [String: JSONValue] = ["name": .string(name), "version": .string(version), "license": "MIT",
                                             "repository": ["type": "git", "url": "git+https://github.com/mochi-lang/mochi.git"]]
        if !dependencies.isEmpty { manifest["dependencies"] = .object(dependencies.mapValues { .string($0) }) }
        let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
        try await InProcessTrustedPublisher(world: world.sigstore, storage: world.registry.storage, registryURL: world.registryURL,
                                            user: "mochi-publisher")
            .publish(name: name, version: version, manifest: manifest, tarball: tarball, tag: "latest",
                     job: WorldPublisher.job(forVersion: version, repository: "mochi-lang/mochi"))
    }
}
