import ChildProcess
import Dispatch
import Glibc
import SafeJSON
import Synchronization

/// The first line a child prints on stdout (nil if its stdout ends first); later bytes are dropped.
final class FirstLine: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var result: String??
        var waiter: CheckedContinuation<String?, Never>?
    }
    private let state = Mutex(State())
    /// A line longer than this is no announcement: it counts as the end.
    private static let limit = 1 << 20

    func feed(_ event: PipeEvent) {
        let ready: (CheckedContinuation<String?, Never>, String?)? = state.withLock { state in
            guard state.result == nil else { return nil }
            switch event {
            case .data(let bytes):
                state.buffer += bytes
                if let end = state.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    state.result = .some(String(decoding: state.buffer[..<end], as: UTF8.self))
                } else if state.buffer.count > Self.limit {
                    state.result = .some(nil)
                } else {
                    return nil
                }
            case .end: state.result = .some(nil)
            }
            state.buffer = []
            defer { state.waiter = nil }
            return state.waiter.map { ($0, state.result!) }
        }
        if let (waiter, line) = ready { waiter.resume(returning: line) }
    }

    /// Waits for the line (or the end of the stream).
    func line() async -> String? {
        await withCheckedContinuation { continuation in
            let ready: String?? = state.withLock { state in
                if let result = state.result { return .some(result) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// The last bytes a child wrote on a stream (for an error message), echoed to our stderr if asked.
final class StreamTail: Sendable {
    private let tail = Mutex<[UInt8]>([])
    private let echo: Bool
    private static let limit = 2048

    init(echo: Bool) { self.echo = echo }

    func feed(_ event: PipeEvent) {
        guard case .data(let bytes) = event else { return }
        if echo { _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) } }
        tail.withLock { tail in
            tail += bytes
            if tail.count > Self.limit { tail.removeFirst(tail.count - Self.limit) }
        }
    }

    var text: String { String(decoding: tail.withLock { $0 }, as: UTF8.self).trimmingWhitespaceAndNewlines() }
}

/// On SIGINT, SIGTERM or SIGHUP (the terminal closed): the cleanups registered so far run in
/// order (staging folders, the embedded world), then the process exits with the signal's status
/// (128 + n), as the default action would report.
enum Interrupts {
    /// Whether `number`'s disposition is SIG_IGN (inherited across exec from whoever started us).
    static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    private static let state = Mutex<(sources: [any DispatchSourceSignal], cleanups: [@Sendable () -> Void])>(([], []))
    /// The signal being handled, once one arrived.
    private static let received = Mutex<Int32?>(nil)

    /// A failure that follows an interrupt is the interrupt's doing (its cleanup removed what the
    /// run was writing): it is not reported, and the handler's exit (128 + n) is awaited instead
    /// (found by review: such runs said "unsafe or corrupt tarball" and exited 1).
    static func awaitExitIfInterrupted() {
        guard received.withLock({ $0 }) != nil else { return }
        while true { pause() }
    }

    static func onInterrupt(_ cleanup: @escaping @Sendable () -> Void) {
        state.withLock { state in
            state.cleanups.append(cleanup)
            guard state.sources.isEmpty else { return }
            // A signal ignored when we started (nohup's SIGHUP, SIGINT under `cmd &`) stays ignored
            // (found by review: our handler replaced nohup's SIG_IGN, and a hangup ended the install).
            for number in [SIGINT, SIGTERM, SIGHUP] where !isIgnored(number) {
                // No SIG_IGN: on Linux Dispatch installs its handler with a signal's first source only,
                // and a SIG_IGN after that would silence the signal for every source.
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    received.withLock { $0 = number }
                    for cleanup in Self.state.withLock({ $0.cleanups }) { cleanup() }
                    exit(128 + number)
                }
                source.resume()
                state.sources.append(source)
            }
        }
    }
}
