public import Foundation
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
        do { try AtomicFile.write(data, to: fileURL(for: role)) } catch {
            throw TUFError(.storage, role: role, version: version, rule: "5 (persist metadata)", "\(error)")
        }
    }

    /// Deletes the file for `role` if present (spec 5.3.11).
    public func remove(_ role: String) {
        unlink(fileURL(for: role).path)
    }
}

/// Writes a file so that readers see the old or the new content, never a partial one.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        let temp = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "open \(temp): \(String(cString: strerror(errno)))") }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        let writeErrno = errno
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, url.path) == 0 else {
            let reason = String(cString: strerror(ok ? errno : writeErrno))
            unlink(temp)
            throw Failure(description: "writing \(url.path): \(reason)")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }
}

private func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, pointer, count)
    #else
    Darwin.write(fd, pointer, count)
    #endif
}
