import Crypto
import Foundation
import Testing
import TUF

/// Spec 5.3.11: when a root update rotates the timestamp or snapshot keys, the cached timestamp and
/// snapshot are deleted, so a repository can recover from a fast-forward attack.
@Suite struct KeyRotationTests {
    var repo = TestRepository()
    let directory: URL

    init() async throws {
        directory = try makeTemporaryDirectory("tuf-rotation")
        try repo.root().write(to: directory.appendingPathComponent("root.json"))
        // An attacker (or accident) fast-forwarded timestamp to v100.
        try repo.publish(timestamp: 100, snapshot: 1, targets: 1)
        try await repo.updater(directory).refresh()
        repo.fetcher.clearRequests()
    }

    @Test mutating func rotatedTimestampKeyDropsCachedTimestampAndSnapshot() async throws {
        repo.keys["timestamp"] = Curve25519.Signing.PrivateKey()
        repo.fetcher.set("metadata/2.root.json", try repo.root(version: 2))
        repo.fetcher.set("metadata/timestamp.json", try repo.timestamp(version: 1, snapshot: 1))
        let updater = repo.updater(directory)
        try await updater.refresh()
        #expect(await updater.trusted?.timestamp?.version == 1)
        #expect(repo.fetcher.requests == ["metadata/2.root.json", "metadata/3.root.json", "metadata/timestamp.json",
                                          "metadata/1.snapshot.json"])
    }

    @Test func unchangedKeysKeepTheCacheAndItsRollbackProtection() async throws {
        repo.fetcher.set("metadata/2.root.json", try repo.root(version: 2))
        repo.fetcher.set("metadata/timestamp.json", try repo.timestamp(version: 1, snapshot: 1))
        let error = try #require(await tufError { try await repo.updater(directory).refresh() })
        #expect(error.code == .rollback && error.role == "timestamp" && error.version == 1 && error.rule == "5.4.3.1")
        #expect(repo.fetcher.requests == ["metadata/2.root.json", "metadata/3.root.json", "metadata/timestamp.json"])
    }
}
