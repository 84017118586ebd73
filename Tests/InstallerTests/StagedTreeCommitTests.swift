import Foundation
import Testing
@testable import Installer

/// A commit swaps the tree and the project's files in together, or puts everything back:
/// the old tree, its dot-folders and the old files.
@Suite struct StagedTreeCommitTests {
    /// A project with an old tree (a dot-folder, a package and its hidden lockfile, as npm and
    /// verify-install leave it) and an old lockfile, and a staged tree with its own hidden lockfile,
    /// as every install writes one; `oldTree: false` leaves node_modules out.
    func project(keepsDotEntries: Bool = true, oldTree: Bool = true, _ body: (URL, StagedTree) throws -> Void) throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("staged-commit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let live = prefix.appendingPathComponent("node_modules")
        if oldTree {
            try FileManager.default.createDirectory(at: live.appendingPathComponent(".cache/tool"), withIntermediateDirectories: true)
            try Data("cached".utf8).write(to: live.appendingPathComponent(".cache/tool/state"))
            try FileManager.default.createDirectory(at: live.appendingPathComponent("old-package"), withIntermediateDirectories: true)
            try Data("old hidden lock".utf8).write(to: live.appendingPathComponent(".package-lock.json"))
        } else {
            try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        }
        try Data("old lock".utf8).write(to: prefix.appendingPathComponent("package-lock.json"))
        let staged = try StagedTree(prefix: prefix, keepsDotEntries: keepsDotEntries)
        defer { staged.discard() }
        try Data("new hidden lock".utf8).write(to: staged.treeRoot.appendingPathComponent("node_modules/.package-lock.json"))
        try body(prefix, staged)
    }

    func expectUntouched(_ prefix: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let live = prefix.appendingPathComponent("node_modules")
        #expect(try String(contentsOf: live.appendingPathComponent(".cache/tool/state"), encoding: .utf8) == "cached",
                sourceLocation: sourceLocation)
        #expect(FileManager.default.fileExists(atPath: live.appendingPathComponent("old-package").path), sourceLocation: sourceLocation)
        #expect(try String(contentsOf: live.appendingPathComponent(".package-lock.json"), encoding: .utf8) == "old hidden lock",
                sourceLocation: sourceLocation)
        #expect(try String(contentsOf: prefix.appendingPathComponent("package-lock.json"), encoding: .utf8) == "old lock",
                sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("package.json").path), sourceLocation: sourceLocation)
    }

    static let files = [(name: "package-lock.json", data: Data("new lock".utf8)), (name: "package.json", data: Data("{}".utf8))]

    @Test func aFailedSwapRestoresTheOldTreeAndItsDotFolders() throws {
        try project { prefix, staged in
            // Make the move of the old tree aside fail: its destination exists and is not empty.
            try FileManager.default.createDirectory(at: staged.root.appendingPathComponent("previous-node_modules/occupied"),
                                                    withIntermediateDirectories: true)
            #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            try expectUntouched(prefix)
        }
    }

    /// Found by an attack: the tree used to be swapped in first, and a lockfile that could not be
    /// replaced left the new tree beside the old lockfile and package.json. The same for ci, which
    /// carries no dot-folder over: they go back with the old tree.
    @Test(arguments: [true, false])
    func aProjectFileThatCannotBeReplacedPutsTheOldTreeBack(keepsDotEntries: Bool) throws {
        try project(keepsDotEntries: keepsDotEntries) { prefix, staged in
            try FileManager.default.createDirectory(at: staged.root.appendingPathComponent("previous-package-lock.json/occupied"),
                                                    withIntermediateDirectories: true)
            let error = #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            #expect(error?.message.contains("package-lock.json") == true)
            try expectUntouched(prefix)
        }
    }

    /// Found by review: the rollback took the new tree's hidden lockfile for a dot-entry carried
    /// out of the old tree, so a project without node_modules was left with the new tree beside
    /// the old lockfile (and, with an old tree, the rollback was refused and everything kept aside).
    @Test(arguments: [true, false])
    func aFailedCommitWithoutAnOldTreeLeavesNoTree(keepsDotEntries: Bool) throws {
        try project(keepsDotEntries: keepsDotEntries, oldTree: false) { prefix, staged in
            try FileManager.default.createDirectory(at: staged.root.appendingPathComponent("previous-package-lock.json/occupied"),
                                                    withIntermediateDirectories: true)
            #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("node_modules").path))
            #expect(try String(contentsOf: prefix.appendingPathComponent("package-lock.json"), encoding: .utf8) == "old lock")
            #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("package.json").path))
        }
    }

    @Test func aSuccessfulCommitPlacesTheTreeDotFoldersAndFiles() throws {
        try project { prefix, staged in
            try staged.commit(projectFiles: Self.files)
            let live = prefix.appendingPathComponent("node_modules")
            #expect(try String(contentsOf: live.appendingPathComponent(".cache/tool/state"), encoding: .utf8) == "cached")
            #expect(!FileManager.default.fileExists(atPath: live.appendingPathComponent("old-package").path))
            #expect(try String(contentsOf: live.appendingPathComponent(".package-lock.json"), encoding: .utf8) == "new hidden lock")
            #expect(try String(contentsOf: prefix.appendingPathComponent("package-lock.json"), encoding: .utf8) == "new lock")
            #expect(try String(contentsOf: prefix.appendingPathComponent("package.json"), encoding: .utf8) == "{}")
        }
    }

    /// ci, like `npm ci`, empties node_modules whole (found by review: a `.prisma/client` nobody
    /// verified outlived `ci`, and `require(".prisma/client")` loads it); a failed one puts it back
    /// (`aProjectFileThatCannotBeReplacedPutsTheOldTreeBack`).
    @Test func ciLeavesNoDotFolderOfTheOldTree() throws {
        try project(keepsDotEntries: false) { prefix, staged in
            try staged.commit(projectFiles: Self.files)
            let live = prefix.appendingPathComponent("node_modules")
            #expect(try FileManager.default.contentsOfDirectory(atPath: live.path) == [".package-lock.json"])
            #expect(try String(contentsOf: live.appendingPathComponent(".package-lock.json"), encoding: .utf8) == "new hidden lock")
            #expect(try String(contentsOf: prefix.appendingPathComponent("package-lock.json"), encoding: .utf8) == "new lock")
        }
    }

    /// Found by review: a package.json edited while the run resolved was replaced by one made from
    /// the old text, losing the edit without a word. Now the commit refuses and changes nothing.
    @Test func aProjectFileChangedSinceTheRunReadItIsNeverReplaced() throws {
        try project { prefix, staged in
            let lockfile = prefix.appendingPathComponent("package-lock.json")
            try Data("edited lock".utf8).write(to: lockfile)
            let error = #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            #expect(error?.code == .fileSystem)
            #expect(error?.message.contains("\(lockfile.path) changed while verify-install ran") == true, "\(String(describing: error))")
            #expect(try String(contentsOf: lockfile, encoding: .utf8) == "edited lock")
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("node_modules/old-package").path))
        }
        try project { prefix, staged in
            try Data("{\"scripts\":{}}".utf8).write(to: prefix.appendingPathComponent("package.json"))
            let error = #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            #expect(error?.message.contains("package.json appeared while verify-install ran") == true, "\(String(describing: error))")
        }
        // A linked package.json was read through the link; replacing the link would strand the
        // user's edits in its target (found by a re-attack).
        try project { prefix, staged in
            try FileManager.default.moveItem(at: prefix.appendingPathComponent("package-lock.json"), to: prefix.appendingPathComponent("real-lock.json"))
            try FileManager.default.createSymbolicLink(atPath: prefix.appendingPathComponent("package-lock.json").path, withDestinationPath: "real-lock.json")
            let linked = try StagedTree(prefix: prefix)
            defer { linked.discard() }
            let error = #expect(throws: InstallError.self) { try linked.commit(projectFiles: Self.files) }
            #expect(error?.message.contains("package-lock.json is a symbolic link") == true, "\(String(describing: error))")
            #expect(try String(contentsOf: prefix.appendingPathComponent("real-lock.json"), encoding: .utf8) == "old lock")
        }
    }

    /// An interrupt after the commit says so (found by review: the run exited 130 without a word).
    @Test func abandoningSaysWhetherTheCommitHadFinished() throws {
        try project { _, staged in #expect(staged.abandon() == false) }
        try project { _, staged in
            try staged.commit(projectFiles: Self.files)
            #expect(staged.abandon() == true)
        }
    }

    @Test func aRegistryPackageWhereABundledOneAlreadyIsIsAVerificationError() throws {
        try project { _, staged in
            let manager = FileManager.default
            try manager.createDirectory(at: staged.unpackDirectory(0).appendingPathComponent("node_modules/bchild"), withIntermediateDirectories: true)
            try manager.createDirectory(at: staged.unpackDirectory(1), withIntermediateDirectories: true)
            let error = #expect(throws: InstallError.self) {
                try staged.place([(0, "node_modules/bparent"), (1, "node_modules/bparent/node_modules/bchild")])
            }
            #expect(error?.code == .verification)
            #expect(error?.message.contains("bundled dependency") == true)
        }
    }

    /// Found by a re-attack: a stale commit marker in the old tree was carried over this commit's
    /// own, so a failed commit no longer recognised its staged tree and lost the dot-folders.
    @Test func aStaleMarkerInTheOldTreeDoesNotHideTheStagedTree() throws {
        try project { prefix, staged in
            let live = prefix.appendingPathComponent("node_modules")
            try Data("stale".utf8).write(to: live.appendingPathComponent(CommitJournal.markerName))
            try FileManager.default.createDirectory(at: staged.root.appendingPathComponent("previous-package-lock.json/occupied"),
                                                    withIntermediateDirectories: true)
            #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            try expectUntouched(prefix)
        }
    }

    /// Found by an attack: a node_modules linked elsewhere had files moved out of the link's target.
    @Test func aNodeModulesThatIsASymbolicLinkIsRefusedAndItsTargetLeftAlone() throws {
        try project { prefix, staged in
            let live = prefix.appendingPathComponent("node_modules"), elsewhere = prefix.appendingPathComponent("elsewhere")
            try FileManager.default.moveItem(at: live, to: elsewhere)
            try FileManager.default.createSymbolicLink(at: live, withDestinationURL: elsewhere)
            let error = #expect(throws: InstallError.self) { try staged.commit(projectFiles: Self.files) }
            #expect(error?.message.contains("not a real folder") == true)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: live.path) == elsewhere.path)
            try expectUntouched(prefix)
        }
    }
}
