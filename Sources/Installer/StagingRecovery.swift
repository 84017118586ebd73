import DurableFile
import FoundationEssentials
import Glibc
import Synchronization

/// What an interrupted run left in the project: its staging folder (`.verify-install-staging-<pid>-…`)
/// and, when it died in the middle of its commit, the old tree and files it had set aside. The
/// commit journals itself (`commit-started`, `commit-done`), so the next run knows which of them
/// to put back before it removes the folder.
enum StagingRecovery {
    static let folderPrefix = ".verify-install-staging-"
    static let started = "commit-started", done = "commit-done"

    /// Puts back and removes what runs that are no longer alive left in `prefix`.
    static func recover(prefix: URL, projectFiles: [String], warn: (String) -> Void) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: prefix.path)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(folderPrefix) && !isAlive(entry) {
            let root = prefix.appendingPathComponent(entry)
            if exists(root.appendingPathComponent(started)) && !exists(root.appendingPathComponent(done)) {
                rollBack(root, prefix: prefix, projectFiles: projectFiles)
                warn("an interrupted run had begun replacing node_modules; its previous tree and files were put back (\(root.path))")
            } else {
                carryBack(root, prefix: prefix)
            }
            do { try DurableFile.removeTree(root.path) } catch { warn("could not remove \(root.path), left by an interrupted run: \(error)") }
        }
    }

    /// Whether the run that owns `folder` (its pid after the prefix) is still running.
    private static func isAlive(_ folder: String) -> Bool {
        guard let pid = Int32(folder.dropFirst(folderPrefix.count).prefix { $0 != "-" }) else { return false }
        return pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    /// The commit had started: the new tree goes back into staging, the old one and the old files return.
    private static func rollBack(_ root: URL, prefix: URL, projectFiles: [String]) {
        let live = prefix.appendingPathComponent("node_modules"), old = root.appendingPathComponent("previous-node_modules")
        if exists(old) {
            if exists(live) { rename(live.path, root.appendingPathComponent("abandoned-node_modules").path) }
            rename(old.path, live.path)
        }
        for name in projectFiles where exists(root.appendingPathComponent("previous-" + name)) {
            rename(root.appendingPathComponent("previous-" + name).path, prefix.appendingPathComponent(name).path)
        }
        carryBack(root, prefix: prefix)
    }

    /// Dot-entries the commit had carried out of the old tree into the staged one return to the old tree.
    private static func carryBack(_ root: URL, prefix: URL) {
        let staged = root.appendingPathComponent("tree/node_modules"), live = prefix.appendingPathComponent("node_modules")
        guard exists(live) else { return }
        for item in (try? FileManager.default.contentsOfDirectory(atPath: staged.path)) ?? []
        where item.hasPrefix(".") && item != ".bin" && !exists(live.appendingPathComponent(item)) {
            rename(staged.appendingPathComponent(item).path, live.appendingPathComponent(item).path)
        }
    }

    private static func exists(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0
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
