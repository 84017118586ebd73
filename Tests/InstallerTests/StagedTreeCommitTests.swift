import Foundation
import Testing
@testable import Installer

/// A commit that fails half-way puts the project back as it was, dot-folders included.
@Suite struct StagedTreeCommitTests {
    @Test func aFailedSwapRestoresTheOldTreeAndItsDotFolders() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("staged-commit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let live = prefix.appendingPathComponent("node_modules")
        try FileManager.default.createDirectory(at: live.appendingPathComponent(".cache/tool"), withIntermediateDirectories: true)
        try Data("cached".utf8).write(to: live.appendingPathComponent(".cache/tool/state"))
        try FileManager.default.createDirectory(at: live.appendingPathComponent("old-package"), withIntermediateDirectories: true)

        let staged = try StagedTree(prefix: prefix)
        defer { staged.discard() }
        // Make the move of the old tree aside fail: its destination exists and is not empty.
        let blocker = staged.root.appendingPathComponent("previous-node_modules/occupied")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)

        #expect(throws: InstallError.self) { try staged.commit(lockfile: nil) }
        #expect(try String(contentsOf: live.appendingPathComponent(".cache/tool/state"), encoding: .utf8) == "cached")
        #expect(FileManager.default.fileExists(atPath: live.appendingPathComponent("old-package").path))
    }
}
