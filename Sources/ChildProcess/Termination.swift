#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child ended.
public enum Termination: Sendable, Hashable, CustomStringConvertible {
    /// `exit(code)`.
    case exited(Int32)
    /// Killed by a signal.
    case signaled(Int32)

    /// Like a shell's `$?`: the exit code, or 128 + the signal number.
    public var status: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// Decodes a `waitpid` status (WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import).
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .signaled(signal)
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}

/// A failed system call while spawning or talking to a child.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    /// The errno value.
    public let code: Int32

    public var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}
