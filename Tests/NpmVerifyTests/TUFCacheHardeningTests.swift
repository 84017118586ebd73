import CodedError
import FixtureTesting
import Foundation
import NpmVerify
import Testing
import TUF

/// Whoever can write the TUF cache can neither choose where TUF files are written nor make a
/// run read a planted file whole.
@Suite struct TUFCacheHardeningTests {
    @Test(arguments: ["mirror", "metadata", "targets"])
    func aCacheFolderThatIsASymbolicLinkIsRefusedAndNothingIsWrittenThroughIt(_ folder: String) async throws {
        try await withScratch("tuf-symlink") { scratch in
            let cache = scratch.appendingPathComponent("cache"), victim = scratch.appendingPathComponent("victim")
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: cache.appendingPathComponent(folder), withDestinationURL: victim)
            let error = await #expect(throws: NpmVerifyError.self) {
                try await PublicGoodTUFTests.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            }
            #expect(error?.message.contains("not a real folder") == true, "\(String(describing: error))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: victim.path).isEmpty)
        }
    }

    /// Found by review: the folders were created first and checked after, so a link planted
    /// between the cache top and the repository's folder got a folder made through it.
    @Test func nothingIsCreatedThroughALinkBelowTheCacheTop() async throws {
        try await withScratch("tuf-link-level") { scratch in
            let top = scratch.appendingPathComponent("verify-install"), victim = scratch.appendingPathComponent("victim")
            try FileManager.default.createDirectory(at: top, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: top.appendingPathComponent("tuf"), withDestinationURL: victim)
            let cache = top.appendingPathComponent("tuf/tuf-repo-cdn.sigstore.dev")
            let trust = TUFTrust(repositoryURL: PublicGoodTUFTests.url, initialRoot: SigstorePublicGoodRoot.data,
                                 cacheDirectory: cache, cacheTop: top, now: try PublicGoodTUFTests.captureDate())
            let error = await #expect(throws: NpmVerifyError.self) { try await trust.fetch([TrustRootResolver.trustedRootTarget]) }
            #expect(error?.message.contains("tuf is not a real folder") == true, "\(String(describing: error))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: victim.path).isEmpty)
        }
    }

    @Test func aPlantedOversizedMetadataFileIsNotReadButReplaced() async throws {
        try await withScratch("tuf-oversized") { cache in
            _ = try await PublicGoodTUFTests.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            let timestamp = cache.appendingPathComponent("metadata/timestamp.json")
            try FileManager.default.removeItem(at: timestamp)
            #expect(FileManager.default.createFile(atPath: timestamp.path, contents: nil))
            let handle = try FileHandle(forWritingTo: timestamp)
            try handle.truncate(atOffset: 8 << 30)  // sparse: 8 GiB that must never be read
            try handle.close()
            #expect(MetadataStore(directory: timestamp.deletingLastPathComponent()).read("timestamp", limit: UpdaterConfig().timestampMaxLength) == nil)
            let outcome = try await PublicGoodTUFTests.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            #expect(outcome.rootVersion == 12)
            #expect(try FileManager.default.attributesOfItem(atPath: timestamp.path)[.size] as? Int ?? 0 < 16 * 1024)
        }
    }
}
