import FixtureRegistry
import FixtureSigstore
import Foundation
import Harness
import SafeJSON
import Tarball
import Testing

/// Found by review: the registry signed and logged its publish attestation before it checked that
/// the version was new, so a refused republish left in Rekor a registry-signed statement about
/// bytes it never served; and `1.2.0+b` was taken for a new version beside 1.2.0.
@Suite struct RefusedPublishLogTests {
    static func publish(_ world: FixtureWorld, version: String, marker: String) async throws {
        let manifest: [String: JSONValue] = ["name": "@mochi/runtime", "version": .string(version), "license": "MIT",
                                             "description": .string(marker),
                                             "repository": ["type": "git", "url": "git+https://github.com/mochi-lang/mochi.git"]]
        let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
        try await InProcessTrustedPublisher(world: world.sigstore, storage: world.registry.storage, registryURL: world.registryURL,
                                            user: "mochi-publisher")
            .publish(name: "@mochi/runtime", version: version, manifest: manifest, tarball: tarball, tag: "latest",
                     job: WorldPublisher.job(forVersion: version.split(separator: "+")[0].description, repository: "mochi-lang/mochi"))
    }

    @Test func aRefusedRepublishLogsNothing() async throws {
        let world = try await FixtureWorld.start()
        do {
            try await Self.publish(world, version: "1.3.0", marker: "first")
            let logged = world.sigstore.rekor.treeSize
            for version in ["1.3.0", "1.3.0+other"] {
                let error = await #expect(throws: RegistryError.self, "\(version)") {
                    try await Self.publish(world, version: version, marker: "second")
                }
                #expect(error == .versionExists(package: "@mochi/runtime", version: version), "\(String(describing: error))")
            }
            // Each attempt logs its own provenance first (the publisher's, as npm publish does);
            // the registry's publish attestation must not follow a refusal.
            #expect(world.sigstore.rekor.treeSize == logged + 2, "a refused publish must not reach the log")
            let versions = try world.registry.storage.packument(for: .init("@mochi/runtime"))?.versions.keys.sorted()
            #expect(versions?.contains("1.3.0+other") == false)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }
}
