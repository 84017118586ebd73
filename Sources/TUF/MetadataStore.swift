public import FoundationEssentials
import DurableFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local metadata directory: `<percent-encoded role>.json`, non-versioned, written atomically.
public struct MetadataStore: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func fileURL(for role: String) -> URL {
        directory.appendingPathComponent(TUFEncoding.component(role) + ".json")
    }

    /// The stored bytes, or nil when there is no file (or it cannot be read).
    public func read(_ role: String) -> Data? {
        try? Data(contentsOf: fileURL(for: role))
    }

    /// Persists `data` for `role` (temp file, fsync, rename, fsync of the directory).
    public func write(_ role: String, _ data: Data, version: Int? = nil) throws {
        do { try DurableFile.replace(fileURL(for: role), with: data) } catch {
            throw TUFError(.storage, role: role, version: version, rule: "5 (persist metadata)", "\(error)")
        }
    }

    /// Deletes the file for `role` if present (spec 5.3.11).
    public func remove(_ role: String) {
        unlink(fileURL(for: role).path)
    }
}
