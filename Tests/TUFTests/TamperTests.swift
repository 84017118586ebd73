import Foundation
import SafeJSON
import Testing
import TUF

/// Cached metadata that was altered or went stale is detected, named (role, version, rule) and,
/// where the workflow allows, replaced from the repository.
@Suite struct TamperTests {
    let repo = TestRepository()
    let directory: URL

    init() async throws {
        directory = try makeTemporaryDirectory("tuf-tamper")
        try repo.root().write(to: directory.appendingPathComponent("root.json"))
        try repo.publish(timestamp: 1, snapshot: 1, targets: 1, snapshotExpires: "2026-07-01T00:00:00Z")
        try await repo.updater(directory).refresh()
        repo.fetcher.clearRequests()
    }

    func cached(_ role: String) -> URL { directory.appendingPathComponent("\(role).json") }

    /// Rewrites a cached file's JSON without re-signing it.
    func edit(_ role: String, _ change: (inout [String: JSONValue], inout [JSONValue]) -> Void) throws {
        var document = try JSONValue.parse(Data(contentsOf: cached(role))).objectValue!
        var signed = document["signed"]!.objectValue!
        var signatures = document["signatures"]!.arrayValue!
        change(&signed, &signatures)
        document["signed"] = .object(signed)
        document["signatures"] = .array(signatures)
        try JSONValue.object(document).serialized().write(to: cached(role))
    }

    @Test func tamperedRootSignatureStopsTheUpdateBeforeAnyRequest() async throws {
        try edit("root") { _, signatures in
            var signature = signatures[0].objectValue!
            let sig = signature["sig"]!.stringValue!
            signature["sig"] = .string((sig.hasPrefix("0") ? "1" : "0") + sig.dropFirst())
            signatures[0] = .object(signature)
        }
        let error = try #require(await tufError { try await repo.updater(directory).refresh() })
        #expect(error.code == .thresholdNotMet && error.role == "root" && error.version == 1 && error.rule == "5.2")
        #expect(repo.fetcher.requests.isEmpty)
    }

    @Test func tamperedTimestampVersionIsDiscardedAndReplaced() async throws {
        try edit("timestamp") { signed, _ in signed["version"] = 7 }
        let updater = repo.updater(directory)
        try await updater.refresh()
        let discarded = await updater.discardedLocal
        #expect(discarded.contains { $0.code == .thresholdNotMet && $0.role == "timestamp" && $0.version == 7 && $0.rule == "5.4.2" })
        #expect(try Data(contentsOf: cached("timestamp")) == repo.fetcher.published("metadata/timestamp.json"))
    }

    @Test func tamperedTargetsExpiryIsASignatureFailure() async throws {
        try edit("targets") { signed, _ in signed["expires"] = "2099-01-01T00:00:00Z" }
        let updater = repo.updater(directory)
        try await updater.refresh()
        #expect(await updater.discardedLocal.contains { $0.code == .thresholdNotMet && $0.role == "targets" && $0.rule == "5.6.3" })
        #expect(repo.fetcher.requests.contains("metadata/1.targets.json"))
    }

    @Test func expiredCachedSnapshotIsNamedAndReplaced() async throws {
        try repo.publish(timestamp: 2, snapshot: 2, targets: 1)
        let updater = repo.updater(directory, now: date("2026-08-01T00:00:00Z"))
        try await updater.refresh()
        #expect(await updater.discardedLocal.contains { $0.code == .expired && $0.role == "snapshot" && $0.version == 1 && $0.rule == "5.5.6" })
        #expect(await updater.trusted?.snapshot?.version == 2)
    }

    @Test func staleCachedTargetsVersionIsNamedAndReplaced() async throws {
        try repo.publish(timestamp: 2, snapshot: 2, targets: 2)
        let updater = repo.updater(directory)
        try await updater.refresh()
        #expect(await updater.discardedLocal.contains { $0.code == .versionMismatch && $0.role == "targets" && $0.version == 1 && $0.rule == "5.6.4" })
        #expect(await updater.trusted?.targets["targets"]?.version == 2)
    }

    @Test func timestampRollbackIsRefusedAndTheCacheKept() async throws {
        try repo.publish(timestamp: 3, snapshot: 1, targets: 1)
        try await repo.updater(directory).refresh()
        let trustedV3 = try #require(repo.fetcher.published("metadata/timestamp.json"))
        repo.fetcher.set("metadata/timestamp.json", try repo.timestamp(version: 2, snapshot: 1))
        let error = try #require(await tufError { try await repo.updater(directory).refresh() })
        #expect(error.code == .rollback && error.role == "timestamp" && error.version == 2 && error.rule == "5.4.3.1")
        #expect(try Data(contentsOf: cached("timestamp")) == trustedV3)
    }
}
