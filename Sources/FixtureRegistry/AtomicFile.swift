public import Foundation
import DurableFile

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// The registry's durable writes, through ``DurableFile``: the bytes go to a temporary file in the
/// same folder, which is flushed (`fsync`), renamed over the target, and then the folder itself is
/// flushed, so a reader sees the old file or the new one, never half of either, across a SIGKILL
/// of the registry and across a crash of the machine.
///
/// Folders created on the way are flushed into their parents too, so a new
/// package folder cannot vanish while the file inside it survives.
public enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(RegistryError) {
        try createDirectory(url.deletingLastPathComponent())
        do { try DurableFile.replace(url, with: data) } catch {
            throw .storage(path: url.path, reason: "cannot write: \(error)")
        }
    }

    /// Creates `folder` and any missing parents, flushing each new entry into its parent folder.
    static func createDirectory(_ folder: URL) throws(RegistryError) {
        var missing: [URL] = []
        var cursor = folder.standardizedFileURL
        while !FileManager.default.fileExists(atPath: cursor.path), cursor.path != "/" {
            missing.append(cursor)
            cursor = cursor.deletingLastPathComponent()
        }
        for directory in missing.reversed() {
            if mkdir(directory.path, 0o755) != 0, errno != EEXIST {
                throw .storage(path: directory.path, reason: "cannot create folder: \(String(cString: strerror(errno)))")
            }
            try syncDirectory(directory.deletingLastPathComponent())
        }
    }

    /// Flushes a folder's entries (after a rename, a create or a delete inside it).
    static func syncDirectory(_ folder: URL) throws(RegistryError) {
        do { try DurableFile.syncFolder(folder.path) } catch {
            throw .storage(path: folder.path, reason: "cannot flush folder: \(error)")
        }
    }

    /// Reads a file, or nil when it does not exist; refuses files over `limit` bytes.
    public static func read(_ url: URL, limit: Int) throws(RegistryError) -> Data? {
        do { return try DurableFile.read(url.path, limit: limit) } catch {
            throw .storage(path: url.path, reason: error.call == "read" ? error.reason : "cannot read: \(error)")
        }
    }
}
