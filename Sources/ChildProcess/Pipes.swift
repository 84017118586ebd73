#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// What a pipe reader delivers: bytes as they arrive, then the end (the write side was closed
/// by every process holding it, or reading failed).
public enum PipeEvent: Sendable {
    case data([UInt8])
    case end
}

/// Reads one pipe to its end with blocking `read` on a dedicated thread (no Dispatch source, no
/// `readabilityHandler`), hands each chunk to `handler` on that thread, closes the fd at the end.
enum PipeReader {
    /// Starts the reader thread; the returned latch is set after `.end` was delivered.
    static func start(fd: Int32, handler: @escaping @Sendable (PipeEvent) -> Void) throws(ChildProcessError) -> Latch<Bool> {
        let finished = Latch<Bool>()
        try startThread {
            let capacity = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = read(fd, buffer, capacity)
                if count > 0 {
                    handler(.data(Array(UnsafeRawBufferPointer(start: buffer, count: count))))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(fd)
            handler(.end)
            finished.set { true }
        }
        return finished
    }
}

/// The parent's end of a child's stdin pipe. Writes block the calling thread until the child
/// has room for them (prompt answers and small inputs; do not use it on the cooperative pool
/// for large inputs). A child that closed its stdin makes `write` throw (EPIPE), never SIGPIPE.
public final class PipeWriter: Sendable {
    private let fd: Mutex<Int32>

    init(fd: Int32) { self.fd = Mutex(fd) }

    deinit { close() }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try fd.withLock { (fd: inout Int32) throws(ChildProcessError) in
            guard fd >= 0 else { throw ChildProcessError(operation: "write (stdin already closed)", code: EBADF) }
            try Self.writeAll(fd, bytes)
        }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Closes the pipe: the child reads end-of-file. Idempotent.
    public func close() {
        fd.withLock { fd in
            if fd >= 0 {
                _ = systemClose(fd)
                fd = -1
            }
        }
    }

    /// `write` with SIGPIPE blocked on this thread; a SIGPIPE raised by the write is consumed
    /// (so it can neither kill the process nor be delivered later) and EPIPE is thrown instead.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(ChildProcessError) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var pending = sigset_t()
        sigpending(&pending)
        let alreadyPending = sigismember(&pending, SIGPIPE) == 1

        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if written >= 0 {
                    offset += written
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure == EPIPE && !alreadyPending {
            #if canImport(Darwin)
            var signal: Int32 = 0
            sigwait(&pipeSignal, &signal)
            #else
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &zero)
            #endif
        }
        if failure != 0 { throw ChildProcessError(operation: "write", code: failure) }
    }
}

// The C functions, named apart from the methods above.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
