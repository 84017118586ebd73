import CodedError
import FixtureTUF
import FixtureTesting
import Foundation
@testable import NpmVerify
import Testing
import TUF

/// Serves a repository's files from memory, by path below `base`; 404 for anything else.
private struct ServedRepository: TUFFetcher {
    let base: String
    let files: [String: Data]

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        guard url.hasPrefix(base), let data = files[String(url.dropFirst(base.count))] else { throw .httpStatus(404, url: url) }
        return data
    }
}

/// Found by review: whoever could write the TUF cache deleted its metadata and kept roots, and a
/// repository that then hid newer roots, or served older metadata that had not yet expired, was
/// trusted again. The newest versions a run trusted are kept outside the cache, and a run that
/// ends below them is refused.
@Suite struct TUFHighWaterTests {
    static let base = "https://tuf.example"

    @Test func aRunThatEndsBelowTheVersionsAnEarlierRunTrustedIsRefused() async throws {
        try await withScratch("tuf-high-water") { folder in
            let keys = TUFRoleKeys.generate(), target = ["trusted_root.json": Data("{}".utf8)]
            let first = try TUFRepository(targetFiles: target, keys: keys, now: Date(), version: 1)
            let second = try TUFRepository(targetFiles: target, keys: keys, now: Date(), version: 2)
            // The second version: root v2 (signed by root v1's keys), timestamp, snapshot and targets v2.
            var newer = second.servedFiles
            newer["/1.root.json"] = first.root
            newer["/3.root.json"] = nil
            let cache = folder.appendingPathComponent("cache"), state = folder.appendingPathComponent("state")
            func trust(_ files: [String: Data], state: URL?) -> TUFTrust {
                TUFTrust(repositoryURL: Self.base, initialRoot: first.root, cacheDirectory: cache,
                         remote: ServedRepository(base: Self.base, files: files),
                         highWater: state.map { TUFHighWater(folder: $0, fileName: "tuf-example.json") })
            }
            #expect(try await trust(newer, state: state).fetch(["trusted_root.json"]).rootVersion == 2)

            // The cache is emptied, and the repository serves the first version again: still
            // valid, so without the marks it passes, which is the attack.
            var older = first.servedFiles
            older["/2.root.json"] = nil
            try FileManager.default.removeItem(at: cache)
            #expect(try await trust(older, state: nil).fetch(["trusted_root.json"]).rootVersion == 1)
            // Offline, the cache now holds only the older metadata: refused.
            let offline = TUFTrust(repositoryURL: Self.base, initialRoot: first.root, cacheDirectory: cache, offline: true,
                                   highWater: TUFHighWater(folder: state, fileName: "tuf-example.json"))
            let replayed = await #expect(throws: NpmVerifyError.self) { try await offline.fetch(["trusted_root.json"]) }
            #expect(replayed?.message.contains("offline: the cached TUF metadata of https://tuf.example rolls back to root v1") == true,
                    "\(String(describing: replayed))")
            try FileManager.default.removeItem(at: cache)
            let error = await #expect(throws: NpmVerifyError.self) { try await trust(older, state: state).fetch(["trusted_root.json"]) }
            #expect(error?.message.contains("rolls back to root v1, where an earlier run trusted root v2") == true, "\(String(describing: error))")
            // The repository's current state is trusted again.
            #expect(try await trust(newer, state: state).fetch(["trusted_root.json"]).rootVersion == 2)
        }
    }

    @Test func timestampAndSnapshotMayOnlyStartAgainUnderNewKeys() {
        typealias Marks = TUFHighWater.Marks
        let kept = Marks(root: 5, timestamp: 40, snapshot: 30, onlineKeys: "a")
        #expect(TUFHighWater.rollback(from: kept, to: kept) == nil)
        #expect(TUFHighWater.rollback(from: kept, to: Marks(root: 5, timestamp: 39, snapshot: 30, onlineKeys: "a"))?.contains("timestamp v39") == true)
        #expect(TUFHighWater.rollback(from: kept, to: Marks(root: 6, timestamp: 40, snapshot: 29, onlineKeys: "a"))?.contains("snapshot v29") == true)
        // A new root with new timestamp and snapshot keys starts their versions again (spec 5.3.11).
        #expect(TUFHighWater.rollback(from: kept, to: Marks(root: 6, timestamp: 1, snapshot: 1, onlineKeys: "b")) == nil)
        // One root version naming other keys is another root.
        #expect(TUFHighWater.rollback(from: kept, to: Marks(root: 5, timestamp: 41, snapshot: 31, onlineKeys: "b"))?.contains("other timestamp and snapshot keys") == true)
    }
}
