import SafeJSON
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

    /// Throws, so that nothing else is committed, when a commit journal cannot be read, does not
    /// match its folder, or can be neither finished nor undone as the project stands: it must not
    /// act later on a project that has moved on. Folders that are not this user's real folders, and
    /// journals of another format, are warned about and left.
    static func recover(prefix: URL, projectFiles: [String], warn: (String) -> Void) throws {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: prefix.path)) ?? []
        for entry in entries.sorted() where entry.hasBytePrefix(folderPrefix) {
            let root = prefix.appendingPathComponent(entry)
            guard isOwnFolder(root) else {
                warn("left \(root.path) alone: it looks like a staging folder but is not a folder of this user (a link, or another file)")
                continue
            }
            switch journal(in: root, allowedFiles: projectFiles) {
            case .absent: break
            case .unreadable(let why):
                throw InstallError(.fileSystem, "the commit journal of an interrupted run cannot be read (\(why)); nothing is committed over it: inspect \(root.path), put back what you need, remove it, then run again")
            case .otherFormat:
                warn("left \(root.path) alone: its commit journal is not one this version writes; inspect it, then remove it")
                continue
            case .found(let journal):
                let rollback = CommitRollback(journal: journal, root: root, prefix: prefix)
                guard rollback.isOwn else {
                    // Copied, moved to another file system, or planted: it may still hold this project's files.
                    throw InstallError(.fileSystem, "\(root.path) holds the journal of an interrupted run that does not match this folder (was the project copied or moved?); nothing is committed over it: inspect it, put back what you need, remove it, then run again")
                }
                if rollback.finished {
                    unlink(prefix.appendingPathComponent("node_modules/\(CommitJournal.markerName)").path)
                    warn("an interrupted run had finished replacing node_modules and its files; kept (\(root.path))")
                } else if rollback.rollBack() {
                    warn("an interrupted run had begun replacing node_modules; the previous tree and files were put back (from \(root.path))")
                } else {
                    let places = rollback.setAside
                    throw InstallError(.fileSystem, "an interrupted run's commit can be neither finished nor undone as \(prefix.path) stands now; what it had set aside of the project is "
                        + (places.isEmpty ? "nothing" : places.joined(separator: ", ")) + ": put back what you need from there, remove \(root.path), then run again")
                }
            }
            unlink(root.appendingPathComponent(CommitJournal.fileName).path)  // first: a removal cut short is no commit to undo
            do { try DurableFile.removeTree(root.path) } catch { warn("could not remove \(root.path), left by an interrupted run: \(error)") }
        }
    }

    /// The staging folders in `prefix` that hold a commit journal: an install died in its commit,
    /// so node_modules and the project files may be half old, half new until the next run.
    static func interruptedCommits(prefix: URL) -> [URL] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: prefix.path)) ?? []
        return entries.sorted().filter { $0.hasBytePrefix(folderPrefix) }.map { prefix.appendingPathComponent($0) }.filter { root in
            var status = stat()
            return lstat(root.appendingPathComponent(CommitJournal.fileName).path, &status) == 0
        }
    }

    /// A real folder (not a link) owned by this user.
    private static func isOwnFolder(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && status.st_uid == getuid()
    }

    private enum JournalState { case absent, unreadable(String), otherFormat, found(CommitJournal) }

    /// Only a journal that does not exist is absent. One that cannot be read (an I/O error) stops the
    /// run; one of another format (another version's, a damaged one, not a regular file) leaves its
    /// folder alone.
    private static func journal(in root: URL, allowedFiles: [String]) -> JournalState {
        let file = root.appendingPathComponent(CommitJournal.fileName)
        var status = stat()
        guard lstat(file.path, &status) == 0 else { return errno == ENOENT ? .absent : .unreadable(String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG, status.st_size <= CommitJournal.maxBytes else { return .otherFormat }
        let data: Data?
        do { data = try DurableFile.read(file.path, limit: CommitJournal.maxBytes) } catch { return .unreadable("\(error)") }
        guard let data else { return .absent }
        guard let text = String(data: data, encoding: .utf8), let journal = CommitJournal(text: text, allowedFiles: allowedFiles) else {
            return .otherFormat
        }
        return .found(journal)
    }
}

/// The staged trees of this process, so an interrupt (SIGINT, SIGTERM) can remove them: each
/// waits for a commit in progress to finish or roll back, so nothing the user needs is removed.
enum StagingRegistry {
    private static let live = Mutex<[ObjectIdentifier: StagedTree]>([:])

    static func add(_ tree: StagedTree) { live.withLock { $0[ObjectIdentifier(tree)] = tree } }
    static func remove(_ tree: StagedTree) { _ = live.withLock { $0.removeValue(forKey: ObjectIdentifier(tree)) } }

    /// Removes every staged tree; none of them commits afterwards. Returns the projects whose
    /// commit had already finished.
    static func abandonAll() -> [URL] {
        live.withLock({ Array($0.values) }).compactMap { tree in tree.abandon() ? tree.prefix : nil }
    }
}
