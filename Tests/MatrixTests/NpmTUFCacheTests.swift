import FixtureTesting
import Foundation
import Harness
@testable import Matrix
import Testing

/// npm verifies the attestations of several packages at once; on an empty TUF target cache each
/// verification downloads `trusted_root.json`, and one download's `fs.copyFileSync` can truncate the
/// file under another's `fs.readFile` (sigstore-js/tuf-js), so npm sometimes reports a valid package
/// as having an invalid attestation. The matrix therefore hands npm a cache that already holds the
/// world's targets, while npm still fetches and verifies the signed TUF metadata through the proxy.
@Suite struct NpmTUFCacheTests {
    @Test func npmStartsWithTheWorldsTargetsButFetchesTheMetadata() async throws {
        let world = try await FixtureWorld.start()
        do {
            try withScratch("npm-tuf-cache") { folder in
                let cache = folder.appendingPathComponent("npm-cache")
                let env = try CellClients.npmEnvironment(world, cache: cache)
                #expect(env["npm_config_cache"] == cache.path)
                let tuf = cache.appendingPathComponent("_tuf/tuf-repo-cdn.sigstore.dev")
                let cached = try Data(contentsOf: tuf.appendingPathComponent("targets/trusted_root.json"))
                #expect(cached == (try Data(contentsOf: world.trustedRootFile)),
                        "npm's cached trusted_root.json differs from the world's \(world.trustedRootFile.path)")
                #expect(FileManager.default.fileExists(atPath: tuf.appendingPathComponent("root.json").path))
                for role in ["timestamp", "snapshot", "targets"] {
                    #expect(!FileManager.default.fileExists(atPath: tuf.appendingPathComponent("\(role).json").path),
                            "\(role).json is seeded: npm would no longer fetch and verify it through the TUF mirror")
                }
            }
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }
}
