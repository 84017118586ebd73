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
                let rollback = CommitRollback(journal: journal, root: root, prefix: prefix)
                if rollback.isOwn, rollback.finished {
                    warn("an interrupted run had finished replacing node_modules and its files; kept (\(root.path))")
                } else if rollback.rollBack() {
                    warn("an interrupted run had begun replacing node_modules; the previous tree and files were put back (from \(root.path))")
                } else {
                    warn("left \(root.path) alone: an interrupted run's commit that cannot be undone as this project stands (its previous tree and files are in that folder; put them back or remove it)")
                    continue
                }
            }
            unlink(root.appendingPathComponent(CommitJournal.fileName).path)  // first: a removal cut short is no commit to undo
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
