#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process file-mode creation mask, read once (Linux: the `Umask:` line of
/// `/proc/self/status`, which reads it without changing it, unlike `umask(2)`).
///
/// Nothing in this program changes the umask, so a mode it masks no bit of comes out of
/// `open`/`mkdir` exactly and needs no `fchmod`; any other mode (or an unknown umask) is still
/// set explicitly, so the result never depends on the umask.
enum ProcessUmask {
    static let value: mode_t? = readStatus()

    /// Whether creating with `mode` yields exactly `mode`.
    static func keeps(_ mode: mode_t) -> Bool {
        guard let value else { return false }
        return mode & value == 0
    }

    private static func readStatus() -> mode_t? {
        let file = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { _ = close(file) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { systemRead(file, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        return parse(bytes[..<count])
    }

    /// The octal value of the `Umask:` line, or nil when there is none or it is malformed.
    static func parse(_ status: ArraySlice<UInt8>) -> mode_t? {
        for line in status.split(separator: 0x0A) where line.starts(with: Array("Umask:".utf8)) {
            let digits = line.dropFirst(6).drop { $0 == 0x09 || $0 == 0x20 }
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) else { return nil }
            return digits.reduce(0) { $0 << 3 | mode_t($1 - 0x30) }
        }
        return nil
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
