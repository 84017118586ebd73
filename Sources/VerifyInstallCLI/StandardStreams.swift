import Glibc
import NpmModel

/// Standard output and standard error written with `write(2)`: every byte, unbuffered, short
/// writes and `EINTR` retried (FoundationEssentials has no `FileHandle`). A failed write (a closed
/// pipe) drops the rest, as there is nowhere left to report it.
enum StandardStream {
    case output, error

    private var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }

    /// Writes `text` as UTF-8, with passwords in URLs and the configuration's secrets written as
    /// `***`: every report, error and note passes here, whatever its form (found by review: the
    /// JUnit report, an ASCII `--json` document and libcurl's error text printed them in full).
    func write(_ text: String) {
        var text = TerminalText.redactingCredentials(TerminalText.withoutSecrets(text))
        text.withUTF8 { writeBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `bytes`, with passwords in URLs written as `***`.
    func write(_ bytes: UnsafeRawBufferPointer) {
        write(String(decoding: bytes, as: UTF8.self))
    }

    private func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(descriptor, next, left)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            next += written
            left -= written
        }
    }
}
