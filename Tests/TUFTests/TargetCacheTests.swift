import Foundation
import Testing
import TUF

/// Targets are fetched as `HASH.name` under consistent snapshots, stored atomically, and a cached
/// copy is re-hashed before it is used.
@Suite struct TargetCacheTests {
    @Test func cachedTargetIsRehashedBeforeUse() async throws {
        let repo = TestRepository()
        let metadata = try makeTemporaryDirectory("tuf-cache-md")
        let targets = try makeTemporaryDirectory("tuf-cache-targets")
        let content = Data("hello target".utf8)
        try repo.root().write(to: metadata.appendingPathComponent("root.json"))
        try repo.publish(timestamp: 1, snapshot: 1, targets: 1, files: ["dir/a b.txt": content])

        let updater = repo.updater(metadata, targets: targets)
        let file = try #require(try await updater.targetInfo(for: "dir/a b.txt"))
        #expect(await updater.cachedTarget(file) == nil)
        let downloaded = try await updater.downloadTarget(file)
        let stored = downloaded.url
        #expect(downloaded.bytes == content)
        #expect(stored.lastPathComponent == "dir%2Fa%20b.txt")
        #expect(repo.fetcher.requests.last == "targets/dir/\(file.hashes["sha256"]!).a%20b.txt")
        #expect(await updater.cachedTarget(file) == downloaded)

        try Data("hello targeT".utf8).write(to: stored)
        #expect(await updater.cachedTarget(file) == nil)
        _ = try await updater.downloadTarget(file)
        #expect(try Data(contentsOf: stored) == content)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: targets.path)
        #expect(leftovers == ["dir%2Fa%20b.txt"])
    }

    @Test func substitutedTargetIsRefusedAndNotStored() async throws {
        let repo = TestRepository()
        let metadata = try makeTemporaryDirectory("tuf-cache-md")
        let targets = try makeTemporaryDirectory("tuf-cache-targets")
        try repo.root().write(to: metadata.appendingPathComponent("root.json"))
        try repo.publish(timestamp: 1, snapshot: 1, targets: 1, files: ["f": Data("good".utf8)])
        let updater = repo.updater(metadata, targets: targets)
        let file = try #require(try await updater.targetInfo(for: "f"))
        repo.fetcher.set("targets/\(file.hashes["sha256"]!).f", Data("evil".utf8))
        let error = try #require(await tufError { try await updater.downloadTarget(file) })
        #expect(error.code == .hashMismatch && error.role == "target f" && error.rule == "5.7.3")
        #expect(try FileManager.default.contentsOfDirectory(atPath: targets.path).isEmpty)
        #expect(try await updater.targetInfo(for: "missing") == nil)
    }
}
