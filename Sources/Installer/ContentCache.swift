import Foundation
import Integrity
import RegistryClient

/// A content-addressed tarball cache (`<root>/content-v1/<algorithm>/<hex>`).
///
/// Entries are looked up by the integrity the registry or lockfile promises and are
/// re-hashed on every read: a corrupted or tampered entry is discarded, never trusted.
/// Below `root` nothing is followed: a symbolic link, FIFO, device or oversize file in
/// the cache is discarded unread.
public struct ContentCache: Sendable {
    public let root: URL
    /// Largest entry read (the largest tarball the registry client accepts).
    public let maxEntryBytes: Int

    public init(root: URL, maxEntryBytes: Int = RegistryClient.maxTarballBytes) {
        self.root = root
        self.maxEntryBytes = maxEntryBytes
    }

    /// The user's default: `$XDG_CACHE_HOME/verify-install` or `~/.cache/verify-install`.
    public static func defaultRoot(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("verify-install")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/verify-install")
    }

    func path(for hash: SubresourceIntegrity.Hash) -> URL {
        let (folders, file) = components(for: hash)
        return root.appendingPathComponent((folders + [file]).joined(separator: "/"))
    }

    private func components(for hash: SubresourceIntegrity.Hash) -> (folders: [String], file: String) {
        let hex = hash.digest.hexString
        return (["content-v1", hash.algorithm.rawValue, String(hex.prefix(2))], hex)
    }

    /// The cached bytes for `integrity`, verified again; nil when absent or no longer matching.
    func read(_ integrity: SubresourceIntegrity, subject: String) -> (VerifiedBytes?, discarded: Bool) {
        for hash in integrity.strongestHashes {
            let (folders, name) = components(for: hash)
            guard let folder = CacheFolder(root: root, folders, create: false) else { continue }
            defer { folder.close() }
            switch folder.readRegularFile(name, limit: maxEntryBytes) {
            case .absent:
                continue
            case .refused:
                folder.remove(name)
                return (nil, true)
            case .bytes(let data):
                if let verified = try? VerifiedBytes.verify(data, against: integrity, subject: subject, source: path(for: hash).path) {
                    return (verified, false)
                }
                folder.remove(name)
                return (nil, true)
            }
        }
        return (nil, false)
    }

    /// Stores verified bytes under their integrity. No temporary file and no fsync: every read
    /// re-hashes the entry, so a torn write only costs a later miss. An existing entry is kept.
    func write(_ verified: VerifiedBytes) {
        for hash in verified.integrity.strongestHashes {
            let (folders, name) = components(for: hash)
            guard let folder = CacheFolder(root: root, folders, create: true) else { continue }
            defer { folder.close() }
            folder.createFile(name, contents: verified.bytes)
        }
    }
}

/// An open cache folder reached from the root without following any symbolic link.
struct CacheFolder {
    enum ReadResult { case absent, refused, bytes(Data) }

    let descriptor: Int32

    /// Opens `root/folders…` with `O_NOFOLLOW` on every folder below `root`; nil when one is
    /// missing (and `create` is false) or is not a real folder.
    init?(root: URL, _ folders: [String], create: Bool) {
        if create { try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
        var current = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { return nil }
        for folder in folders {
            var next = openat(current, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create, mkdirat(current, folder, 0o755) == 0 || errno == EEXIST {
                next = openat(current, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            Foundation.close(current)
            guard next >= 0 else { return nil }
            current = next
        }
        descriptor = current
    }

    func close() { Foundation.close(descriptor) }

    func remove(_ name: String) { unlinkat(descriptor, name, 0) }

    /// The file's bytes when it is a regular file of at most `limit` bytes. `O_NONBLOCK` keeps
    /// a FIFO from blocking the open; `O_NOFOLLOW` refuses a symbolic link.
    func readRegularFile(_ name: String, limit: Int) -> ReadResult {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return errno == ENOENT ? .absent : .refused }
        defer { Foundation.close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size <= limit else {
            return .refused
        }
        var data = Data(count: Int(info.st_size))
        var offset = 0
        let complete = data.withUnsafeMutableBytes { buffer -> Bool in
            while offset < buffer.count {
                let count = Foundation.read(file, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        // A file that shrank while being read is torn: a miss. One that grew is read only up to its stat size,
        // and the hash check decides.
        return complete ? .bytes(data) : .refused
    }

    /// Creates `name` exclusively (an existing entry, or a link in its place, is left alone).
    func createFile(_ name: String, contents: Data) {
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { return }
        let complete = contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(file, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return false } }
                offset += written
            }
            return true
        }
        Foundation.close(file)
        if !complete { remove(name) }
    }
}
