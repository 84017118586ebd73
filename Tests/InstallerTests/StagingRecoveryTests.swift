import Foundation
import Testing
@testable import Installer

/// What a run killed mid-way left is put back by the next run, from the commit's journal.
@Suite struct StagingRecoveryTests {
    /// A pid no process has (beyond the kernel's default pid_max of 4194304).
    static let deadPID = 4_194_305

    func withProject(_ body: (URL, URL) throws -> Void) throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let root = prefix.appendingPathComponent("\(StagingRecovery.folderPrefix)\(Self.deadPID)-abcd1234")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tree/node_modules"), withIntermediateDirectories: true)
        try body(prefix, root)
    }

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func aRunKilledAfterTheSwapGetsTheOldTreeAndFilesBack() throws {
        try withProject { prefix, root in
            try write("new", prefix.appendingPathComponent("node_modules/a/index.js"))
            try write("new lock", prefix.appendingPathComponent("package-lock.json"))
            try write("old", root.appendingPathComponent("previous-node_modules/a/index.js"))
            try write("old lock", root.appendingPathComponent("previous-package-lock.json"))
            try write("", root.appendingPathComponent(StagingRecovery.started))
            var warnings: [String] = []
            StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles) { warnings.append($0) }
            #expect(read(prefix.appendingPathComponent("node_modules/a/index.js")) == "old")
            #expect(read(prefix.appendingPathComponent("package-lock.json")) == "old lock")
            #expect(!FileManager.default.fileExists(atPath: root.path))
            #expect(warnings.count == 1 && warnings[0].contains("were put back"), "\(warnings)")
        }
    }

    @Test func aRunKilledBetweenMovingTheOldTreeAsideAndSwappingGetsItBack() throws {
        try withProject { prefix, root in
            try write("old", root.appendingPathComponent("previous-node_modules/a/index.js"))
            try write("state", root.appendingPathComponent("tree/node_modules/.cache/state"))
            try write("", root.appendingPathComponent(StagingRecovery.started))
            StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles) { _ in }
            #expect(read(prefix.appendingPathComponent("node_modules/a/index.js")) == "old")
            #expect(read(prefix.appendingPathComponent("node_modules/.cache/state")) == "state", "the carried dot-folder returns")
        }
    }

    @Test func aFinishedCommitOrAStagingFolderIsOnlyRemoved() throws {
        try withProject { prefix, root in
            try write("new", prefix.appendingPathComponent("node_modules/a/index.js"))
            try write("old", root.appendingPathComponent("previous-node_modules/a/index.js"))
            try write("", root.appendingPathComponent(StagingRecovery.started))
            try write("", root.appendingPathComponent(StagingRecovery.done))
            var warnings: [String] = []
            StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles) { warnings.append($0) }
            #expect(read(prefix.appendingPathComponent("node_modules/a/index.js")) == "new")
            #expect(!FileManager.default.fileExists(atPath: root.path))
            #expect(warnings.isEmpty)
        }
    }

    @Test func aLiveRunsStagingFolderIsLeftAlone() throws {
        try withProject { prefix, _ in
            let mine = prefix.appendingPathComponent("\(StagingRecovery.folderPrefix)\(getpid())-live0000")
            try write("", mine.appendingPathComponent(StagingRecovery.started))
            StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles) { _ in }
            #expect(FileManager.default.fileExists(atPath: mine.path))
        }
    }
}
