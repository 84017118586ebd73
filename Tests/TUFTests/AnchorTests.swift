import Foundation
import Testing
import TUF

/// An updater given its anchor in memory never takes trust from the `root.json` in its folder,
/// which anyone who can write the cache could swap (even while the update runs).
@Suite struct AnchorTests {
    @Test func anInMemoryAnchorIsUsedWhateverRootJSONHolds() async throws {
        let repo = TestRepository()
        try repo.publish(timestamp: 1, snapshot: 1, targets: 1)
        let directory = try makeTemporaryDirectory("tuf-anchor")
        // An attacker's self-signed root, far in the future, sits where the spec keeps the trusted root.
        var attacker = TestRepository()
        attacker.expires = "2099-01-01T00:00:00Z"
        try attacker.root(version: 999).write(to: directory.appendingPathComponent("root.json"))

        let updater = TUFUpdater(metadataDirectory: directory, metadataBaseURL: TestRepository.metadataURL,
                                 fetcher: repo.fetcher, referenceTime: date("2026-06-01T00:00:00Z"), trustedRoot: try repo.root())
        try await updater.refresh()
        #expect(await updater.trusted?.root.version == 1)
        #expect(await updater.trusted?.timestamp?.version == 1)

        // Without the anchor the same folder would be trusted as is, and the real timestamp refused.
        let fromFolder = TUFUpdater(metadataDirectory: directory, metadataBaseURL: TestRepository.metadataURL,
                                    fetcher: repo.fetcher, referenceTime: date("2026-06-01T00:00:00Z"))
        let error = try #require(await tufError { try await fromFolder.refresh() })
        #expect(error.code == .thresholdNotMet && error.role == "timestamp")
    }
}
