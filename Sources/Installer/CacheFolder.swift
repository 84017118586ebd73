import FoundationEssentials
import Glibc
import Integrity
import OpenSSLCrypto
import Synchronization

/// An open cache folder reached from the root without following any symbolic link.
struct CacheFolder {
    /// What reading an entry gave: nothing there, something refused (a link, a FIFO, a device, an
    /// oversize or changing file), or the result.
    enum Entry<Value> { case absent, refused, found(Value) }

    /// 64 KiB: below malloc's mmap threshold, so no buffer costs the kernel a mapping.
    static let chunkSize = 1 << 16
    let descriptor: Int32

    /// Opens `root/folders…` with `O_NOFOLLOW` on every folder below `root`; nil when one is
    /// missing (and `create` is false) or is not a real folder.
    init?(root: URL, _ folders: [String], create: Bool) {
        var current = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if current < 0, create {
            try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            current = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard current >= 0 else { return nil }
        for folder in folders {
            let next = Self.openFolder(folder, in: current, create: create)
            Glibc.close(current)
            guard next >= 0 else { return nil }
            current = next
        }
        descriptor = current
    }

    /// Opens the folder `name` inside the open folder `base` (which stays open), with `O_NOFOLLOW`.
    init?(base: Int32, _ name: String, create: Bool) {
        let folder = Self.openFolder(name, in: base, create: create)
        guard folder >= 0 else { return nil }
        descriptor = folder
    }

    private static func openFolder(_ name: String, in base: Int32, create: Bool) -> Int32 {
        let next = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard next < 0, errno == ENOENT, create, mkdirat(base, name, 0o755) == 0 || errno == EEXIST else { return next }
        return openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    }

    func close() { Glibc.close(descriptor) }

    /// Removes the entry `name`; a folder planted in its place is removed if it is empty.
    func remove(_ name: String) {
        if unlinkat(descriptor, name, 0) != 0, errno == EISDIR { unlinkat(descriptor, name, AT_REMOVEDIR) }
    }

    /// Copies `name` into `destination` (created or truncated) and gives its SHA-512, when it is a
    /// regular file of at most `limit` bytes. `O_NONBLOCK` keeps a FIFO from blocking the open;
    /// `O_NOFOLLOW` refuses a symbolic link. A file that changes size while copied is refused.
    func copyRegularFile(_ name: String, limit: Int, to destination: URL) -> Entry<[UInt8]> {
        withRegularFile(name, limit: limit) { file, size in
            let output = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard output >= 0 else { return .refused }
            defer { Glibc.close(output) }
            let digest = Digest(.sha512)
            var total = 0
            let copied = Self.pump(from: file, to: output) { chunk in
                total += chunk.count
                digest.update(chunk)
                return total <= size
            }
            return copied && total == size ? .found(digest.finalize()) : .refused
        }
    }

    /// The bytes of `name`, with the same guards as ``copyRegularFile(_:limit:to:)``.
    func readRegularFile(_ name: String, limit: Int) -> Entry<Data> {
        withRegularFile(name, limit: limit) { file, size in
            var bytes = [UInt8](repeating: 0, count: size + 1)  // the spare byte notices growth
            var filled = 0
            while filled < bytes.count {
                let count = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress! + filled, $0.count - filled) }
                if count < 0 { if errno == EINTR { continue } else { return .refused } }
                if count == 0 { break }
                filled += count
            }
            return filled == size ? .found(Data(bytes[..<filled])) : .refused
        }
    }

    /// Runs `body` on `name` opened for reading, with its size, when it is a regular file of at
    /// most `limit` bytes; closes it afterwards.
    private func withRegularFile<Value>(_ name: String, limit: Int, _ body: (Int32, Int) -> Entry<Value>) -> Entry<Value> {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return errno == ENOENT ? .absent : .refused }
        defer { Glibc.close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 0, info.st_size <= limit else {
            return .refused
        }
        return body(file, Int(info.st_size))
    }

    /// Creates `name` whole: written under a private temporary name, then hard-linked into place,
    /// which fails rather than replaces when `name` exists (an existing entry, or a link in its
    /// place, is left alone).
    func createFile(_ name: String, contents: VerifiedBytes.Content) {
        let temporary = ".\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        CacheTemporaries.shared.add(temporary, in: descriptor)
        let file = openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        defer {
            unlinkat(descriptor, temporary, 0)
            CacheTemporaries.shared.remove(temporary, in: descriptor)
        }
        guard file >= 0 else { return }
        let complete: Bool
        switch contents {
        case .memory(let data):
            complete = data.withUnsafeBytes { Self.writeAll(file, $0) }
        case .file(let url):
            let input = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            complete = input >= 0 && Self.pump(from: input, to: file) { _ in true }
            if input >= 0 { Glibc.close(input) }
        }
        Glibc.close(file)
        if complete { linkat(descriptor, temporary, descriptor, name, 0) }
    }

    /// Copies `input` to `output` in chunks, showing each chunk to `inspect` (false stops the copy).
    static func pump(from input: Int32, to output: Int32, _ inspect: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(input, buffer.baseAddress!, chunkSize)
            if count < 0 { if errno == EINTR { continue } else { return false } }
            if count == 0 { return true }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            guard inspect(chunk), writeAll(output, chunk) else { return false }
        }
    }

    static func writeAll(_ file: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(file, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 { if errno == EINTR { continue } else { return false } }
            offset += written
        }
        return true
    }
}

/// The `content-v1/<algorithm>` folders of one cache, each reached from the root without
/// following a link on first use and kept open (closed with the last copy of the cache), so an
/// entry costs one `openat` of its prefix folder instead of a walk from the root.
final class AlgorithmFolders: Sendable {
    private let open = Mutex<[[String]: Int32]>([:])

    deinit { open.withLock { $0.values.forEach { Glibc.close($0) } } }

    /// The descriptor of `root/folders…`; nil when missing (and `create` is false).
    func descriptor(root: URL, _ folders: ArraySlice<String>, create: Bool) -> Int32? {
        open.withLock { known in
            if let descriptor = known[Array(folders)] { return descriptor }
            guard let folder = CacheFolder(root: root, Array(folders), create: create) else { return nil }
            known[Array(folders)] = folder.descriptor
            return folder.descriptor
        }
    }
}
