import Dispatch
public import Foundation
import Synchronization

/// Temporary folders the tools create (an embedded fixture world's storage), removed also when
/// the process is interrupted: on the first registration SIGINT and SIGTERM are routed to a
/// handler that removes every registered folder, then exits with the signal's status (128 + n).
public enum TemporaryFolders {
    private static let folders = Mutex<Set<String>>([])
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// Removes `folder` if the process gets SIGINT or SIGTERM before `unregister`.
    public static func register(_ folder: URL) {
        installHandlersOnce()
        folders.withLock { _ = $0.insert(folder.path) }
    }

    public static func unregister(_ folder: URL) {
        folders.withLock { _ = $0.remove(folder.path) }
    }

    /// Removes `path` and everything in it, going on past entries another remover took first
    /// (`FileManager.removeItem` stops at the first one): `serve` and this handler race on one signal.
    public static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    private static func installHandlersOnce() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                #if canImport(Darwin)
                signal(signalNumber, SIG_IGN)  // so that kqueue, not the default action, gets it
                #endif
                // On Linux Dispatch installs its handler with the first source of a signal only: a later
                // SIG_IGN (as here once did) would silence every source, e.g. `serve`'s own shutdown.
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler {
                    // A world still starting may recreate a path it was writing: remove until it stays gone.
                    for path in folders.withLock({ $0 }) {
                        for _ in 0..<5 where FileManager.default.fileExists(atPath: path) { removeTree(path) }
                    }
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
