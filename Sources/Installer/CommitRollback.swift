import SafeJSON
import DurableFile
import FoundationEssentials
import Glibc
import Integrity
import OpenSSLCrypto

/// Undoes a journalled commit from whatever point it reached. It first plans every move from what
/// it finds, and moves nothing unless the plan ends with the project as it was: each step needs the
/// identity the journal recorded and a real folder where a folder belongs, so nothing is moved
/// through a link or out of the project. The plan is made from the current state, so a rollback
/// cut short (a crash, an interrupt) is finished by the next one. Used by a commit that fails and
/// by the next run's recovery; the staging folder may go only once ``rollBack()`` says all is back.
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

    /// Whether the journal belongs to this very folder, whose `tree` (when there) is a real folder:
    /// a `tree` that is a symbolic link would carry the rollback's moves out of the project (found
    /// by review: a planted link sent the project's node_modules elsewhere).
    var isOwn: Bool {
        guard FileID(root) == journal.root else { return false }
        var status = stat()
        let tree = root.appendingPathComponent("tree").path
        guard lstat(tree, &status) == 0 else { return errno == ENOENT }
        return status.st_mode & S_IFMT == S_IFDIR
    }

    /// Every move was made (only the journal's removal is missing): the staged tree is live and no
    /// pending file is left (whatever has been done to the files since). The commit then stands.
    var finished: Bool {
        isOwn && isStagedTree(live) && journal.files.allSatisfy { FileID(pending($0.name)) == nil }
    }

    /// The new tree at `url`: the recorded identity, a real folder, and the journal's marker in it.
    func isStagedTree(_ url: URL) -> Bool {
        guard isFolder(url, journal.staged),
              let data = try? DurableFile.read(url.appendingPathComponent(CommitJournal.markerName).path, limit: 256) else { return false }
        return data.elementsEqual(journal.marker.utf8)
    }

    /// The pending file the commit put at `url`, unchanged: its identity and its content.
    private func isPendingFile(_ url: URL, _ change: CommitJournal.ProjectFileChange) -> Bool {
        guard FileID(url) == change.pending, let data = try? DurableFile.read(url.path, limit: ProjectFile.maxLockfileBytes) else { return false }
        return Digest.hash(.sha256, data).hexString == change.digest
    }

    /// Where the project's own things are while the rollback cannot run: the old tree, the
    /// dot-folders carried out of it, the set-aside files (for the message that stops the run).
    var setAside: [String] {
        var places = [aside].filter { FileID($0) != nil }.map(\.path)
        places += dotEntries(of: staged).map { staged.appendingPathComponent($0).path }
        places += journal.files.map { previous($0.name) }.filter { FileID($0) != nil }.map(\.path)
        return places
    }

    /// Moves the project back to how it was before the commit, or nothing at all when that cannot
    /// be done as the project stands; true when it is back.
    func rollBack() -> Bool {
        guard isOwn, let moves = plan() else { return false }
        for (from, to) in moves where rename(from.path, to.path) != 0 { return false }
        return true
    }

    /// The moves that bring the project back, in order; nil when some step is impossible (what it
    /// would move is not what the journal recorded, or its place is taken).
    private func plan() -> [(URL, URL)]? {
        var moves: [(URL, URL)] = []
        for change in journal.files.reversed() {
            let current = FileID(target(change.name))
            let hasPrevious = change.previous != nil && FileID(previous(change.name)) == change.previous
            if current == change.pending {
                // Written over (in place, or a reused inode) since: the user's now, never moved out.
                guard isPendingFile(target(change.name), change), FileID(pending(change.name)) == nil else { return nil }
                moves.append((target(change.name), pending(change.name)))
            } else if current != nil, change.existed, hasPrevious {
                return nil  // the place of the file to put back is taken by another
            } else if current == nil, change.existed, !hasPrevious {
                return nil  // the file to put back is gone
            } else if current != nil, current != change.pending, !change.existed {
                return nil  // a file the commit created, replaced since: the user's now, and no older one to return to
            }
            if change.existed, current == nil || current == change.pending, hasPrevious {
                moves.append((previous(change.name), target(change.name)))  // a link is moved, not followed
            }
        }
        guard let tree = treeMoves() else { return nil }
        return moves + tree
    }

    /// The tree back to the old one (or none), and the dot-entries carried out of it back into it.
    private func treeMoves() -> [(URL, URL)]? {
        var moves: [(URL, URL)] = []
        let newTreeAt: URL?, oldTreeAt: URL?  // where each tree is now
        if isStagedTree(live) {
            guard FileID(staged) == nil else { return nil }
            moves.append((live, staged))
            (newTreeAt, oldTreeAt) = (live, journal.old.map { _ in aside })
        } else if FileID(live) == nil {
            (newTreeAt, oldTreeAt) = (isStagedTree(staged) ? staged : nil, journal.old.map { _ in aside })
        } else if let old = journal.old, isFolder(live, old) {
            (newTreeAt, oldTreeAt) = (isStagedTree(staged) ? staged : nil, live)
        } else {
            return nil  // node_modules is neither the old tree nor the new one
        }
        guard let old = journal.old, let oldTreeAt else {
            // No old tree to return dot-entries to: ones made in the new tree since would go with it.
            return newTreeAt.map(dotEntries(of:))?.isEmpty ?? true ? moves : nil
        }
        if oldTreeAt == aside {
            guard isFolder(aside, old) else { return nil }
            moves.append((aside, live))
        }
        for item in newTreeAt.map(dotEntries(of:)) ?? [] {
            guard FileID(oldTreeAt.appendingPathComponent(item)) == nil else { return nil }
            moves.append((staged.appendingPathComponent(item), live.appendingPathComponent(item)))
        }
        return moves
    }

    /// Dot-entries of the new tree at `url`: the ones the commit carried out of the old tree.
    private func dotEntries(of url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).filter(CommitJournal.isCarriedDotEntry).sorted()
    }

    /// A real folder (not a link) with identity `id`.
    private func isFolder(_ url: URL, _ id: FileID) -> Bool {
        FileID(url, folder: true) == id
    }
}
