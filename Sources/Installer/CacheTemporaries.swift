import Glibc
import Synchronization

/// The cache files being written under their temporary names, so an interrupt (SIGINT, SIGTERM)
/// can remove them: `exit` runs no `defer` (found by review: `.<name>.<pid>.<n>` files stayed in
/// the cache after Ctrl-C, and no later run removed them).
final class CacheTemporaries: Sendable {
    /// This process's, which ``Installer/abandonStagedTrees()`` empties.
    static let shared = CacheTemporaries()

    private struct Key: Hashable { let folder: Int32; let name: String }
    private let live = Mutex<Set<Key>>([])

    func add(_ name: String, in folder: Int32) { _ = live.withLock { $0.insert(Key(folder: folder, name: name)) } }
    func remove(_ name: String, in folder: Int32) { _ = live.withLock { $0.remove(Key(folder: folder, name: name)) } }

    /// Unlinks every temporary file still being written. Its folder is still open: the writer
    /// keeps it open until it has taken the name out of here.
    func removeAll() {
        live.withLock { keys in
            for key in keys { unlinkat(key.folder, key.name, 0) }
            keys.removeAll()
        }
    }
}
