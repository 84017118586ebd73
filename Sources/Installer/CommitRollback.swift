import FoundationEssentials
import Glibc

/// Undoes a journalled commit from whatever point it reached, step by step and idempotently: a
/// rollback cut short (a crash, an interrupt) is finished by the next one. A step runs only where
/// what it moves still has the identity the journal recorded and is a real folder where a folder
/// belongs, so nothing is moved through a link or out of the project. Used by a commit that fails
/// and by the next run's recovery; the staging folder may go only once ``rollBack()`` says all is back.
struct CommitRollback {
    typealias FileID = CommitJournal.FileID
    let journal: CommitJournal
    let root: URL
    let prefix: URL

    private var live: URL { prefix.appendingPathComponent("node_modules") }
    private var aside: URL { root.appendingPathComponent("previous-node_modules") }
    private var staged: URL { root.appendingPathComponent("tree/node_modules") }
    private func target(_ name: String) -> URL { prefix.appendingPathComponent(name) }
    private func previous(_ name: String) -> URL { root.appendingPathComponent("previous-" + name) }
    private func pending(_ name: String) -> URL { root.appendingPathComponent("pending-" + name) }

    /// Whether the journal belongs to this very folder.
    var isOwn: Bool { FileID(root) == journal.root }

    /// Every move was made (only the journal's removal is missing): the commit stands as it is.
    var finished: Bool {
        isFolder(live, journal.staged) && journal.files.allSatisfy { FileID(target($0.name)) == $0.pending }
    }

    /// Takes every step back that can be taken; true when the project is as it was before the commit.
    @discardableResult
    func rollBack() -> Bool {
        guard isOwn else { return false }
        for change in journal.files.reversed() {
            if FileID(target(change.name)) == change.pending { rename(target(change.name).path, pending(change.name).path) }
            if change.existed, FileID(target(change.name)) == nil, FileID(previous(change.name)) != nil {
                rename(previous(change.name).path, target(change.name).path)  // a link is moved, not followed
            }
        }
        if isFolder(live, journal.staged), FileID(staged) == nil { rename(live.path, staged.path) }
        if let old = journal.old, FileID(live) == nil, isFolder(aside, old) { rename(aside.path, live.path) }
        if let old = journal.old, isFolder(live, old), isFolder(staged, journal.staged) {
            for item in carried where FileID(live.appendingPathComponent(item)) == nil {
                rename(staged.appendingPathComponent(item).path, live.appendingPathComponent(item).path)
            }
        }
        return isBack
    }

    /// The old tree (or none) is live with its dot-entries, and every project file is the old one.
    private var isBack: Bool {
        let tree = journal.old.map { isFolder(live, $0) } ?? (FileID(live) == nil)
        let files = journal.files.allSatisfy { change in
            FileID(target(change.name)) != change.pending && (!change.existed || FileID(previous(change.name)) == nil)
        }
        return tree && carried.isEmpty && files
    }

    /// Dot-entries in the staged tree: the ones the commit carried out of the old tree (package
    /// names never start with a dot; `.bin` is the staged tree's own).
    private var carried: [String] {
        guard journal.old != nil, isFolder(staged, journal.staged) else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: staged.path)) ?? []).filter { $0.hasPrefix(".") && $0 != ".bin" }
    }

    /// A real folder (not a link) with identity `id`.
    private func isFolder(_ url: URL, _ id: FileID) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && FileID(url) == id
    }
}
