import Foundation
import Integrity
import OpenSSLCrypto

/// An open cache folder reached from the root without following any symbolic link.
struct CacheFolder {
    enum CopyResult { case absent, refused, copied(sha512: [UInt8]) }

    static let chunkSize = 1 << 20
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

    /// Copies `name` into `destination` (created or truncated) with its SHA-512, when it is a
    /// regular file of at most `limit` bytes. `O_NONBLOCK` keeps a FIFO from blocking the open;
    /// `O_NOFOLLOW` refuses a symbolic link. A file that changes size while copied is refused.
    func copyRegularFile(_ name: String, limit: Int, to destination: URL) -> CopyResult {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return errno == ENOENT ? .absent : .refused }
        defer { Foundation.close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size <= limit else {
            return .refused
        }
        let output = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard output >= 0 else { return .refused }
        defer { Foundation.close(output) }
        let digest = Digest(.sha512)
        var total = 0
        let copied = Self.pump(from: file, to: output) { chunk in
            total += chunk.count
            digest.update(chunk)
            return total <= Int(info.st_size)
        }
        return copied && total == Int(info.st_size) ? .copied(sha512: digest.finalize()) : .refused
    }

    /// Creates `name` exclusively (an existing entry, or a link in its place, is left alone).
    func createFile(_ name: String, contents: VerifiedBytes.Content) {
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { return }
        let complete: Bool
        switch contents {
        case .memory(let data):
            complete = data.withUnsafeBytes { Self.writeAll(file, $0) }
        case .file(let url):
            let input = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            complete = input >= 0 && Self.pump(from: input, to: file) { _ in true }
            if input >= 0 { Foundation.close(input) }
        }
        Foundation.close(file)
        if !complete { remove(name) }
    }

    /// Copies `input` to `output` in chunks, showing each chunk to `inspect` (false stops the copy).
    static func pump(from input: Int32, to output: Int32, _ inspect: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(input, buffer.baseAddress!, chunkSize)
            if count < 0 { if errno == EINTR { continue } else { return false } }
            if count == 0 { return true }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            guard inspect(chunk), writeAll(output, chunk) else { return false }
        }
    }

    static func writeAll(_ file: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(file, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 { if errno == EINTR { continue } else { return false } }
            offset += written
        }
        return true
    }
}
