public import FoundationEssentials

#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// File writes that survive a crash of the process or the machine, one implementation for the TUF
/// metadata cache, the fixture registry's storage and the fixture logs (a leaf: no dependencies).
///
/// A write is acknowledged only after fsync(2) of the file and, when it created or renamed an
/// entry, of its folder. ``replace(_:with:mode:)`` is atomic too: readers see the old content or
/// the new, never part of either.
public enum DurableFile {
    /// A system call that failed: which call, on which path, and the operating system's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The call, e.g. `open`, `write`, `fsync`, `rename`.
        public let call: String
        /// The file or folder it was called on.
        public let path: String
        /// `strerror(errno)`.
        public let reason: String

        init(_ call: String, _ path: String, errno code: Int32 = errno) {
            (self.call, self.path, reason) = (call, path, String(cString: strerror(code)))
        }

        init(_ call: String, _ path: String, reason: String) {
            (self.call, self.path, self.reason) = (call, path, reason)
        }

        /// `<call> <path>: <reason>`.
        public var description: String { "\(call) \(path): \(reason)" }
    }

    /// Writes all of `bytes` to `descriptor`, retrying short writes and `EINTR`; the `errno` of a
    /// failed write(2), or nil once every byte is written.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            remaining -= written
            next += written
        }
        return nil
    }

    /// Creates `url` with `mode` or truncates it (with `append`, appends to it), writes `bytes` and
    /// fsyncs the file, and its folder when the file is new.
    public static func write(_ bytes: some ContiguousBytes, to url: URL, append: Bool = false, mode: mode_t = 0o644) throws(Failure) {
        let existed = access(url.path, F_OK) == 0
        try writeAndSync(bytes, path: url.path, flags: O_CREAT | (append ? O_APPEND : O_TRUNC), mode: mode)
        if !existed { try syncFolder(url.deletingLastPathComponent().path) }
    }

    /// Replaces `url` atomically: `bytes` go to a new temporary file beside it, which is fsynced,
    /// renamed over `url`, and then the folder is fsynced. On failure the temporary file is removed
    /// and `url` is untouched.
    public static func replace(_ url: URL, with bytes: some ContiguousBytes, mode: mode_t = 0o644) throws(Failure) {
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-" + String(UInt64.random(in: .min ... .max), radix: 16)
        do throws(Failure) {
            try writeAndSync(bytes, path: temporary, flags: O_CREAT | O_EXCL, mode: mode)
            guard rename(temporary, url.path) == 0 else { throw Failure("rename", url.path) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    /// fsync(2) the folder at `path`, so an entry created, renamed or removed in it survives a crash.
    public static func syncFolder(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure("fsync", path) }
    }

    /// open(2) `path` write-only with `flags`, write every byte, fsync(2), close.
    private static func writeAndSync(_ bytes: some ContiguousBytes, path: String, flags: Int32, mode: mode_t) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | flags, mode)
        guard descriptor >= 0 else { throw Failure("open", path) }
        defer { close(descriptor) }
        if let code = bytes.withUnsafeBytes({ writeAll($0, to: descriptor) }) { throw Failure("write", path, errno: code) }
        guard fsync(descriptor) == 0 else { throw Failure("fsync", path) }
    }

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    static let systemRead = Glibc.read
    #elseif canImport(Musl)
    private static let systemWrite = Musl.write
    static let systemRead = Musl.read
    #elseif canImport(Darwin)
    private static let systemWrite = Darwin.write
    static let systemRead = Darwin.read
    #endif
}
