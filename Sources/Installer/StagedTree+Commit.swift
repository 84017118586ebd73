import SafeJSON
import CodedError
import DurableFile
import FoundationEssentials
import Glibc
import Integrity
import OpenSSLCrypto
import Synchronization

extension StagedTree {
    /// Swaps the staged tree in as `<prefix>/node_modules` and puts `projectFiles` beside it, all
    /// or nothing: when a step fails, ``CommitRollback`` puts the old tree, its dot-folders and the
    /// old files back; if even that cannot finish, the folder and its journal stay for the next
    /// run. Dot-folders of the old tree (tool caches such as `.cache`) are carried over unless
    /// ``keepsDotEntries`` is off; a
    /// `node_modules` that is a symbolic link or a file is refused, never written through.
    func commit(projectFiles: [(name: String, data: Data)]) throws {
        try commitState.withLock { state in
            guard !state.abandoned else { throw InstallError(.fileSystem, "the install was interrupted") }
            try swapIn(projectFiles, kept: &state.kept)
            state.committed = true
        }
    }

    /// Removes the staging folder for good (an interrupt), once no commit is in progress; true
    /// when a commit had already put the new tree and files in place.
    @discardableResult
    func abandon() -> Bool {
        commitState.withLock { state in
            state.abandoned = true
            guard !state.kept else { return state.committed }
            unlink(journal.path)
            // Unpack workers may still be creating files in it. Each pass removes what is there, and
            // a file created in a removed folder fails, so passes converge (found by review: one pass
            // failed on a folder a worker had just filled, and the staging folder was left behind).
            for _ in 0..<8 {
                if (try? DurableFile.removeTree(root.path)) != nil { break }
            }
            return state.committed
        }
    }

    /// Removes everything staged (after success or failure), however deep; a failure is a warning.
    /// A folder kept for recovery stays.
    func discard(warn: (String) -> Void = { _ in }) {
        StagingRegistry.remove(self)
        guard !commitState.withLock({ $0.kept }) else { return }
        unlink(journal.path)  // first: a removal cut short is no commit to undo
        do { try DurableFile.removeTree(root.path) } catch {
            warn("could not remove the staging folder \(root.path): \(error)")
        }
    }

    /// `commit-started`, the ``CommitJournal``.
    var journal: URL { root.appendingPathComponent(CommitJournal.fileName) }
    private var old: URL { root.appendingPathComponent("previous-node_modules") }
    private func pending(_ name: String) -> URL { root.appendingPathComponent("pending-" + name) }

    /// The moves of the commit, journalled first. Throws after rolling back; sets `kept` when the
    /// rollback could not finish (the error then says where everything is).
    private func swapIn(_ projectFiles: [(name: String, data: Data)], kept: inout Bool) throws {
        let live = prefix.appendingPathComponent("node_modules")
        let staged = treeRoot.appendingPathComponent("node_modules")
        let hadOld = try Self.isRealFolder(live)
        try projectFileStamps.refuseChanges(to: projectFiles.map(\.name))
        for file in projectFiles {
            guard FileManager.default.createFile(atPath: pending(file.name).path, contents: file.data) else {
                throw InstallError(.fileSystem, "cannot write \(pending(file.name).path)")
            }
        }
        let entry = try writeJournal(projectFiles, staged: staged, old: hadOld ? live : nil)
        do {
            if hadOld {
                if keepsDotEntries { try carryDotEntries(from: live, to: staged) }
                try move(live, to: old)
            }
            try move(staged, to: live)
            for file in projectFiles { try replace(file.name) }
        } catch {
            guard CommitRollback(journal: entry, root: root, prefix: prefix).rollBack() else {
                kept = true
                throw InstallError(.fileSystem, "\(error); the previous node_modules and files could not all be put back, so they are kept in \(root.path); the next run puts them back, or says where they are if it cannot")
            }
            unlink(journal.path)
            throw error
        }
        unlink(journal.path)  // done: nothing left to undo (a marker left behind is stale, never recognised)
        unlink(live.appendingPathComponent(CommitJournal.markerName).path)
        // npm ignores a hidden lockfile older than any folder of the tree, node_modules included,
        // which the marker and the carried dot-entries just changed.
        _ = utimensat(AT_FDCWD, live.appendingPathComponent(".package-lock.json").path, nil, 0)
    }

    /// Records what the commit will change (``CommitJournal``) before it moves anything.
    private func writeJournal(_ files: [(name: String, data: Data)], staged: URL, old: URL?) throws -> CommitJournal {
        let marker = UUID().uuidString
        guard let rootID = CommitJournal.FileID(root), let stagedID = CommitJournal.FileID(staged),
              FileManager.default.createFile(atPath: staged.appendingPathComponent(CommitJournal.markerName).path, contents: Data(marker.utf8)) else {
            throw InstallError(.fileSystem, "cannot mark the staged tree \(staged.path)")
        }
        var entry = CommitJournal(root: rootID, staged: stagedID, marker: marker, old: old.flatMap { CommitJournal.FileID($0) })
        for (name, data) in files {
            guard let pendingID = CommitJournal.FileID(pending(name)) else { throw InstallError(.fileSystem, "cannot find \(pending(name).path)") }
            entry.files.append(.init(name: name, pending: pendingID, digest: Digest.hash(.sha256, data).hexString,
                                     previous: CommitJournal.FileID(prefix.appendingPathComponent(name))))
        }
        do { try DurableFile.write(Data(entry.text.utf8), to: journal) } catch {
            throw InstallError(.fileSystem, "cannot write \(journal.path): \(error)")
        }
        return entry
    }

    /// Whether `node_modules` exists as a real folder; throws when it is anything else.
    private static func isRealFolder(_ url: URL) throws -> Bool {
        var status = stat()
        guard lstat(url.path, &status) == 0 else {
            if errno == ENOENT { return false }
            throw InstallError(.fileSystem, "cannot inspect \(url.path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw InstallError(.fileSystem, "\(url.path) is not a real folder (a symbolic link or a file): verify-install replaces only a real node_modules folder, so it is left as it is")
        }
        return true
    }

    /// Moves the old tree's dot-entries (except `.bin`, `.package-lock.json` and a stale commit
    /// marker, which must not overwrite this commit's) into the staged tree;
    /// one that cannot be moved fails the commit rather than being dropped with the old tree.
    private func carryDotEntries(from live: URL, to staged: URL) throws {
        let items: [String]
        do { items = try FileManager.default.contentsOfDirectory(atPath: live.path) } catch {
            throw InstallError(.fileSystem, "cannot list \(live.path): \(systemErrorText(error))")
        }
        for item in items.sorted() where CommitJournal.isCarriedDotEntry(item) {
            try move(live.appendingPathComponent(item), to: staged.appendingPathComponent(item))
        }
    }

    /// Puts the pending `name` in place of the project's, keeping the old one aside until the end.
    private func replace(_ name: String) throws {
        let target = prefix.appendingPathComponent(name), previous = root.appendingPathComponent("previous-" + name)
        if Glibc.rename(target.path, previous.path) != 0, errno != ENOENT {
            throw InstallError(.fileSystem, "cannot replace \(target.path): \(String(cString: strerror(errno)))")
        }
        try move(pending(name), to: target)
    }
}
