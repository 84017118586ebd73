#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DurableFile

/// A regular file being written during unpack; owns its descriptor and closes it in `deinit`
/// if `finish` was never reached (the whole destination is removed on failure anyway).
final class OutputFile {
    private var descriptor: Int32
    private let entry: String
    /// The mode the file already has exactly (created with it, the umask masking none of its bits).
    private let mode: mode_t?

    init(descriptor: Int32, entry: String, mode: mode_t?) {
        self.descriptor = descriptor
        self.entry = entry
        self.mode = mode
    }

    deinit { if descriptor >= 0 { _ = close(descriptor) } }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(TarballError) {
        if let code = DurableFile.writeAll(bytes, to: descriptor) {
            throw TarballError(.io, entry: entry, "expected to write \(bytes.count) bytes, found: \(describe(code))")
        }
    }

    /// Sets the final mode (exact, independent of the process umask) unless the file was created
    /// with it, and closes the file.
    func finish(mode: mode_t) throws(TarballError) {
        guard mode == self.mode || fchmod(descriptor, mode) == 0 else {
            throw TarballError(.io, entry: entry, "expected to set mode \(String(mode, radix: 8)), found: \(describe(errno))")
        }
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else {
            throw TarballError(.io, entry: entry, "expected to close the file, found: \(describe(errno))")
        }
    }
}
