import Foundation
import Testing
@testable import Installer

/// What a run killed mid-commit left is put back by the next run, only where the journal's
/// identities still match, never through a link and never outside the project.
@Suite struct StagingRecoveryTests {
    func withProject(_ body: (URL, URL) throws -> Void) throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let root = prefix.appendingPathComponent("\(StagingRecovery.folderPrefix)dead0000")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tree/node_modules"), withIntermediateDirectories: true)
        try body(prefix, root)
    }

    func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    func journal(_ entry: CommitJournal, in root: URL) throws {
        try write(entry.text, root.appendingPathComponent(CommitJournal.fileName))
    }

    func recover(_ prefix: URL) -> [String] {
        var warnings: [String] = []
        StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles) { warnings.append($0) }
        return warnings
    }

    @Test func aRunKilledAfterTheSwapGetsTheOldTreeItsDotFoldersAndFilesBack() throws {
        try withProject { prefix, root in
            let live = prefix.appendingPathComponent("node_modules"), aside = root.appendingPathComponent("previous-node_modules")
            try write("new", live.appendingPathComponent("a/index.js"))
            try write("state", live.appendingPathComponent(".cache/state"))  // carried into the new tree
            try write("new lock", prefix.appendingPathComponent("package-lock.json"))
            try write("old", aside.appendingPathComponent("a/index.js"))
            try write("old lock", root.appendingPathComponent("previous-package-lock.json"))
            try write("new manifest", prefix.appendingPathComponent("package.json"))  // a file the commit created
            try journal(CommitJournal(staged: try #require(.init(live)), old: .init(aside), files: [
                .init(name: "package-lock.json", existed: true, pending: try #require(.init(prefix.appendingPathComponent("package-lock.json")))),
                .init(name: "package.json", existed: false, pending: try #require(.init(prefix.appendingPathComponent("package.json")))),
            ]), in: root)
            let warnings = recover(prefix)
            #expect(read(live.appendingPathComponent("a/index.js")) == "old")
            #expect(read(live.appendingPathComponent(".cache/state")) == "state")
            #expect(read(prefix.appendingPathComponent("package-lock.json")) == "old lock")
            #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("package.json").path))
            #expect(!FileManager.default.fileExists(atPath: root.path))
            #expect(warnings.count == 1 && warnings[0].contains("were put back"), "\(warnings)")
        }
    }

    @Test func aRunKilledBetweenMovingTheOldTreeAsideAndSwappingGetsItBack() throws {
        try withProject { prefix, root in
            let aside = root.appendingPathComponent("previous-node_modules"), staged = root.appendingPathComponent("tree/node_modules")
            try write("old", aside.appendingPathComponent("a/index.js"))
            try write("state", staged.appendingPathComponent(".cache/state"))
            try journal(CommitJournal(staged: try #require(.init(staged)), old: .init(aside)), in: root)
            _ = recover(prefix)
            #expect(read(prefix.appendingPathComponent("node_modules/a/index.js")) == "old")
            #expect(read(prefix.appendingPathComponent("node_modules/.cache/state")) == "state")
        }
    }

    /// Found by an attack: a planted staging folder (a cloned repository can carry one) made
    /// recovery move files into and out of the home folder through links.
    @Test func aPlantedFolderWhoseIdentitiesDoNotMatchIsLeftAlone() throws {
        try withProject { prefix, root in
            let live = prefix.appendingPathComponent("node_modules")
            try write("mine", live.appendingPathComponent("a/index.js"))
            let outside = prefix.appendingPathComponent("../recovery-outside-\(UUID().uuidString)").standardizedFileURL
            defer { try? FileManager.default.removeItem(at: outside) }
            try write("secret", outside.appendingPathComponent("secret"))
            try FileManager.default.removeItem(at: root.appendingPathComponent("tree/node_modules"))
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("tree/node_modules"), withDestinationURL: outside)
            try write("evil", root.appendingPathComponent("previous-node_modules/a/index.js"))
            try journal(CommitJournal(staged: .init(device: 1, inode: 2), old: .init(device: 3, inode: 4)), in: root)
            let warnings = recover(prefix)
            #expect(read(live.appendingPathComponent("a/index.js")) == "mine")
            #expect(read(outside.appendingPathComponent("secret")) == "secret")
            #expect(FileManager.default.fileExists(atPath: root.path))
            #expect(warnings.count == 1 && warnings[0].contains("left \(root.path) alone"), "\(warnings)")
        }
    }

    @Test func aFolderWithoutAJournalIsOnlyRemovedAndALinkIsNotFollowed() throws {
        try withProject { prefix, root in
            let live = prefix.appendingPathComponent("node_modules")
            try write("mine", live.appendingPathComponent("a/index.js"))
            try write("echo PWNED", root.appendingPathComponent("tree/node_modules/.bash_profile"))
            let elsewhere = prefix.appendingPathComponent("elsewhere")
            try write("keep", elsewhere.appendingPathComponent("file"))
            let linked = prefix.appendingPathComponent("\(StagingRecovery.folderPrefix)link")
            try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: elsewhere)
            let warnings = recover(prefix)
            #expect(!FileManager.default.fileExists(atPath: live.appendingPathComponent(".bash_profile").path))
            #expect(!FileManager.default.fileExists(atPath: root.path))
            #expect(read(elsewhere.appendingPathComponent("file")) == "keep")
            #expect(warnings.count == 1 && warnings[0].contains("not a folder of this user"), "\(warnings)")
        }
    }

    @Test func aSecondRunInTheSameProjectIsRefusedWhileTheFirstHoldsIt() throws {
        try withProject { prefix, _ in
            do {
                let first = try ProjectLock(prefix: prefix)
                let error = #expect(throws: InstallError.self) { try ProjectLock(prefix: prefix) }
                #expect(error?.message.contains("another verify-install run is installing into") == true)
                withExtendedLifetime(first) {}
            }
            _ = try ProjectLock(prefix: prefix)  // released with the first
        }
    }

    @Test func theJournalReadsBackWhatItWrote() throws {
        let entry = CommitJournal(staged: .init(device: 66306, inode: 12), old: nil,
                                  files: [.init(name: "package.json", existed: true, pending: .init(device: 66306, inode: 13))])
        #expect(CommitJournal(text: entry.text, allowedFiles: StagedTree.projectFiles) == entry)
        #expect(CommitJournal(text: entry.text.replacingOccurrences(of: "package.json", with: "../x"), allowedFiles: StagedTree.projectFiles) == nil)
        #expect(CommitJournal(text: "old none\n", allowedFiles: StagedTree.projectFiles) == nil)
    }
}
