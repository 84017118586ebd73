import Foundation
import Testing
import TUF

/// The real Sigstore public-good TUF history vendored with tuf-conformance: root 1 → 12, then
/// timestamp 272, snapshot 159, targets 11 and the `trusted_root.json` target, at the date the
/// suite runs its static test with (static_data/sigstore-root-signing/faketime).
@Suite struct SigstoreRotationTests {
    static let base = "https://sigstore.test/"

    /// The suite's `faketime` file (`2025-02-09 12:02:08+00:00`), parsed like Python's `fromisoformat`.
    static func suiteDate() throws -> Date {
        let text = try String(contentsOf: Paths.sigstore.appendingPathComponent("faketime"), encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssxxx"
        return try #require(formatter.date(from: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    struct Client {
        let updater: TUFUpdater
        let fetcher: MemoryFetcher
        let metadata: URL
    }

    func client(now: Date, initialRoot: String = "metadata/1.root.json") throws -> Client {
        let metadata = try makeTemporaryDirectory("sigstore-metadata")
        try FileManager.default.copyItem(at: Paths.sigstore.appendingPathComponent(initialRoot),
                                         to: metadata.appendingPathComponent("root.json"))
        let fetcher = MemoryFetcher(baseURL: Self.base, directory: Paths.sigstore)
        let updater = TUFUpdater(metadataDirectory: metadata, metadataBaseURL: Self.base + "metadata",
                                 targetDirectory: try makeTemporaryDirectory("sigstore-targets"),
                                 targetBaseURL: Self.base + "targets", fetcher: fetcher, referenceTime: now)
        return Client(updater: updater, fetcher: fetcher, metadata: metadata)
    }

    @Test func rotatesFromRootOneToTheLatestAndDownloadsTheTarget() async throws {
        let now = try Self.suiteDate()
        #expect(now == date("2025-02-09T12:02:08Z"))
        let client = try client(now: now)
        try await client.updater.refresh()

        let trusted = try #require(await client.updater.trusted)
        #expect(trusted.root.version == 12)
        #expect(trusted.timestamp?.version == 272)
        #expect(trusted.snapshot?.version == 159)
        #expect(trusted.targets["targets"]?.version == 11)
        #expect(client.fetcher.requests == (2...13).map { "metadata/\($0).root.json" }
            + ["metadata/timestamp.json", "metadata/159.snapshot.json", "metadata/11.targets.json"])
        let persisted = try Data(contentsOf: client.metadata.appendingPathComponent("root.json"))
        #expect(persisted == (try Data(contentsOf: Paths.sigstore.appendingPathComponent("metadata/12.root.json"))))

        let path = try String(contentsOf: Paths.sigstore.appendingPathComponent("targetpath"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let file = try #require(try await client.updater.targetInfo(for: path))
        let stored = try await client.updater.downloadTarget(file)
        let expected = try Data(contentsOf: Paths.sigstore.appendingPathComponent("targets/\(file.hashes["sha256"]!).\(path)"))
        #expect(try stored.bytes == expected && Data(contentsOf: stored.url) == expected)
        #expect(await client.updater.cachedTarget(file) == stored)
    }

    @Test func expiredTimestampIsRefusedAndNamed() async throws {
        let client = try client(now: date("2025-02-16T00:00:00Z"), initialRoot: "initial_root.json")
        let error = try #require(await tufError { try await client.updater.refresh() })
        #expect(error.code == .expired)
        #expect(error.role == "timestamp" && error.version == 272 && error.rule == "5.4.4")
        #expect(!FileManager.default.fileExists(atPath: client.metadata.appendingPathComponent("timestamp.json").path))
    }

    @Test func expiredFinalRootIsRefusedAfterRotating() async throws {
        let client = try client(now: date("2025-09-01T00:00:00Z"))
        let error = try #require(await tufError { try await client.updater.refresh() })
        #expect(error.code == .expired && error.role == "root" && error.version == 12 && error.rule == "5.3.10")
        #expect(!client.fetcher.requests.contains("metadata/timestamp.json"))
        let persisted = try Data(contentsOf: client.metadata.appendingPathComponent("root.json"))
        #expect(try SignedEnvelope.parse(persisted, expectedType: "root", role: "root").header.version == 12)
    }
}
