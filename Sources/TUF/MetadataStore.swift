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

    /// The stored bytes, or nil when there is no file, it cannot be read, it is not a regular
    /// file, or it is larger than `limit` (a planted file must not be read whole into memory).
    public func read(_ role: String, limit: Int) -> Data? {
        try? DurableFile.read(fileURL(for: role).path, limit: limit)
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
