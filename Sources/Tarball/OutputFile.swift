#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file being written during unpack; owns its descriptor and closes it in `deinit`
/// if `finish` was never reached (the whole destination is removed on failure anyway).
final class OutputFile {
    private var descriptor: Int32
    private let entry: String

    init(descriptor: Int32, entry: String) {
        self.descriptor = descriptor
        self.entry = entry
    }

    deinit { if descriptor >= 0 { _ = close(descriptor) } }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(TarballError) {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw TarballError(.io, entry: entry, "expected to write \(remaining) more bytes, found: \(describe(errno))")
            }
            remaining -= written
            next += written
        }
    }

    /// Sets the final mode (exact, independent of the process umask) and closes the file.
    func finish(mode: mode_t) throws(TarballError) {
        guard fchmod(descriptor, mode) == 0 else {
            throw TarballError(.io, entry: entry, "expected to set mode \(String(mode, radix: 8)), found: \(describe(errno))")
        }
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else {
            throw TarballError(.io, entry: entry, "expected to close the file, found: \(describe(errno))")
        }
    }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
