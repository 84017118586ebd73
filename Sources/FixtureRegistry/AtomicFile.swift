public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// Durable writes: the bytes go to a temporary file in the same folder, which is
/// flushed (`fsync`), renamed over the target, and then the folder itself is
/// flushed, so a reader sees the old file or the new one, never half of either,
/// across a SIGKILL of the registry and across a crash of the machine.
///
/// Folders created on the way are flushed into their parents too, so a new
/// package folder cannot vanish while the file inside it survives.
public enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(RegistryError) {
        let folder = url.deletingLastPathComponent()
        try createDirectory(folder)
        let temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)-\(url.lastPathComponent)")
        do {
            try writeAndSync(data, to: temporary.path)
        } catch {
            unlink(temporary.path)
            throw .storage(path: url.path, reason: "cannot write: \(error.reason)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .storage(path: url.path, reason: "cannot rename into place: \(reason)")
        }
        try syncDirectory(folder)
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
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw .storage(path: folder.path, reason: "cannot open folder to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw .storage(path: folder.path, reason: "cannot flush folder: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a file, or nil when it does not exist; refuses files over `limit` bytes.
    public static func read(_ url: URL, limit: Int) throws(RegistryError) -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= limit else { throw .storage(path: url.path, reason: "\(size) bytes exceeds the limit of \(limit)") }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .storage(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    // MARK: - Helpers

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    #elseif canImport(Musl)
    private static let systemWrite = Musl.write
    #elseif canImport(Darwin)
    private static let systemWrite = Darwin.write
    #endif

    private struct SystemCallError: Error {
        let reason: String
        init(_ call: String) { reason = "\(call): \(String(cString: strerror(errno)))" }
    }

    /// Writes every byte to a new file and flushes it to the disk before closing.
    private static func writeAndSync(_ data: Data, to path: String) throws(SystemCallError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError("open") }
        defer { close(descriptor) }
        let failure: SystemCallError? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SystemCallError("write")
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
        guard fsync(descriptor) == 0 else { throw SystemCallError("fsync") }
    }
}
