import DurableFile
import FoundationEssentials
import Glibc
import Synchronization

/// What an interrupted run left in the project: its staging folder and, when it died in the
/// middle of its commit, the old tree and files it had set aside. Runs with the project locked
/// (``ProjectLock``), before anything reads the project, so every staging folder is a dead run's.
/// It moves things only where the journal's identities (``CommitJournal``) still match, never
/// through a symbolic link, and only inside the project.
enum StagingRecovery {
    static let folderPrefix = ".verify-install-staging-"

    static func recover(prefix: URL, projectFiles: [String], warn: (String) -> Void) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: prefix.path)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(folderPrefix) {
            let root = prefix.appendingPathComponent(entry)
            guard isOwnFolder(root) else {
                warn("left \(root.path) alone: it looks like a staging folder but is not a folder of this user (a link, or another file)")
                continue
            }
            if let journal = journal(in: root, allowedFiles: projectFiles) {
                guard rollBack(journal, root: root, prefix: prefix) else {
                    warn("left \(root.path) alone: an interrupted run's commit that no longer matches this project (inspect it, then remove it)")
                    continue
                }
                warn("an interrupted run had begun replacing node_modules; the previous tree and files were put back (from \(root.path))")
            }
            do { try DurableFile.removeTree(root.path) } catch { warn("could not remove \(root.path), left by an interrupted run: \(error)") }
        }
    }

    /// A real folder (not a link) owned by this user.
    private static func isOwnFolder(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && status.st_uid == getuid()
    }

    private static func journal(in root: URL, allowedFiles: [String]) -> CommitJournal? {
        let file = root.appendingPathComponent(CommitJournal.fileName)
        guard let data = try? DurableFile.read(file.path, limit: CommitJournal.maxBytes), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        return CommitJournal(text: text, allowedFiles: allowedFiles)
    }

    /// Undoes the journalled commit as far as it went; false (touching nothing) when the project
    /// is not in a state that commit could have left.
    private static func rollBack(_ journal: CommitJournal, root: URL, prefix: URL) -> Bool {
        let live = prefix.appendingPathComponent("node_modules")
        let aside = root.appendingPathComponent("previous-node_modules"), staged = root.appendingPathComponent("tree/node_modules")
        let liveID = CommitJournal.FileID(live)
        if liveID == journal.staged {
            // Swapped in: the new tree leaves, the old one (if there was one) returns with its dot-folders.
            guard journal.old == nil || CommitJournal.FileID(aside) == journal.old else { return false }
            let abandoned = root.appendingPathComponent("abandoned-node_modules")
            guard rename(live.path, abandoned.path) == 0 else { return false }
            if journal.old != nil, rename(aside.path, live.path) == 0 { carryDotEntries(from: abandoned, to: live) }
            restoreFiles(journal, root: root, prefix: prefix)
            return true
        }
        if liveID == nil, let old = journal.old, CommitJournal.FileID(aside) == old {
            guard rename(aside.path, live.path) == 0 else { return false }  // moved aside, not yet swapped
        } else if liveID != journal.old {
            return false
        }
        if CommitJournal.FileID(staged) == journal.staged { carryDotEntries(from: staged, to: live) }
        return true
    }

    /// Project files the commit had put in place go; the ones it had set aside come back.
    private static func restoreFiles(_ journal: CommitJournal, root: URL, prefix: URL) {
        for change in journal.files {
            let target = prefix.appendingPathComponent(change.name), previous = root.appendingPathComponent("previous-" + change.name)
            if CommitJournal.FileID(target) == change.pending { unlink(target.path) }
            var status = stat()
            if change.existed, lstat(previous.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, CommitJournal.FileID(target) == nil {
                rename(previous.path, target.path)
            }
        }
    }

    /// The dot-entries the commit carried out of the old tree go back to it (never `.bin`, never over an entry).
    private static func carryDotEntries(from source: URL, to live: URL) {
        for item in (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? []
        where item.hasPrefix(".") && item != ".bin" && CommitJournal.FileID(live.appendingPathComponent(item)) == nil {
            rename(source.appendingPathComponent(item).path, live.appendingPathComponent(item).path)
        }
    }
}

/// The staged trees of this process, so an interrupt (SIGINT, SIGTERM) can remove them: each
/// waits for a commit in progress to finish or roll back, so nothing the user needs is removed.
enum StagingRegistry {
    private static let live = Mutex<[ObjectIdentifier: StagedTree]>([:])

    static func add(_ tree: StagedTree) { live.withLock { $0[ObjectIdentifier(tree)] = tree } }
    static func remove(_ tree: StagedTree) { _ = live.withLock { $0.removeValue(forKey: ObjectIdentifier(tree)) } }

    /// Removes every staged tree; none of them commits afterwards.
    static func abandonAll() {
        for tree in live.withLock({ Array($0.values) }) { tree.abandon() }
    }
}
