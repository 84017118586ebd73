import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable writes: the bytes go to a temporary file in the same folder, which
/// is then renamed over the target, so a reader sees the old file or the new
/// one, never half of either (also across a crash of the registry).
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws(RegistryError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)-\(url.lastPathComponent)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .storage(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .storage(path: url.path, reason: "cannot rename into place: \(reason)")
        }
    }

    /// Reads a file, or nil when it does not exist; refuses files over `limit` bytes.
    static func read(_ url: URL, limit: Int) throws(RegistryError) -> Data? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= limit else { throw .storage(path: url.path, reason: "\(size) bytes exceeds the limit of \(limit)") }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .storage(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }
}
