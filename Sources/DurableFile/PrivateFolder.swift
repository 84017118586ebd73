public import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of this user's that no one else may write, opened once without following a link, and
/// the small files in it, read and replaced relative to that open folder: where state lives that
/// must outlive a cache others may write into (the attestation cache's key, TUF's high-water
/// marks). A folder swapped for a link after the check is never followed.
public struct PrivateFolder: ~Copyable {
    /// The open folder (`O_DIRECTORY | O_NOFOLLOW`).
    public let descriptor: Int32
    public let url: URL

    /// Creates `url` (mode 0700, with its parents) when missing, then opens it. Throws when it
    /// cannot be opened, is a link, is not this user's, or its group or others may write it.
    public init(_ url: URL) throws(DurableFile.Failure) {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            throw DurableFile.Failure("mkdir", url.path, reason: "\(error)")
        }
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw DurableFile.Failure("open", url.path) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
            close(descriptor)
            throw DurableFile.Failure("open", url.path, reason: "not a folder of this user's that only this user may write")
        }
        (self.descriptor, self.url) = (descriptor, url)
    }

    deinit { close(descriptor) }

    /// The bytes of `name`, a regular file of this user's with one link and at most `limit`
    /// bytes that only its owner may write; nil when there is none.
    public func read(_ name: String, limit: Int) throws(DurableFile.Failure) -> Data? {
        let path = url.appendingPathComponent(name).path
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { return nil }
            throw DurableFile.Failure("open", path)
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(), info.st_mode & 0o022 == 0,
              info.st_nlink == 1, info.st_size <= limit else {
            throw DurableFile.Failure("open", path, reason: "not a regular file of at most \(limit) bytes with one link that only its owner (this user) may write")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { DurableFile.systemRead(file, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw DurableFile.Failure("read", path) }
            if got == 0 { break }
            count += got
        }
        guard count <= limit else { throw DurableFile.Failure("read", path, reason: "more than \(limit) bytes") }
        return Data(bytes[..<count])
    }

    /// Replaces `name` with `bytes` atomically: a new private file (mode 0600) in this folder,
    /// fsynced, renamed over `name`, then the folder fsynced. On failure `name` is untouched.
    public func replace(_ name: String, with bytes: some ContiguousBytes) throws(DurableFile.Failure) {
        let path = url.appendingPathComponent(name).path
        let temporary = ".\(name).tmp-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        let file = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw DurableFile.Failure("open", path) }
        var failure: DurableFile.Failure?
        if let code = bytes.withUnsafeBytes({ DurableFile.writeAll($0, to: file) }) {
            failure = DurableFile.Failure("write", path, errno: code)
        } else if fsync(file) != 0 {
            failure = DurableFile.Failure("fsync", path)
        }
        close(file)
        if failure == nil, renameat(descriptor, temporary, descriptor, name) != 0 { failure = DurableFile.Failure("rename", path) }
        if let failure {
            unlinkat(descriptor, temporary, 0)
            throw failure
        }
        guard fsync(descriptor) == 0 else { throw DurableFile.Failure("fsync", url.path) }
    }
}
