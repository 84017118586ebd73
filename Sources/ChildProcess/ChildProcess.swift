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

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}

/// A child process started with `posix_spawn`: no Foundation `Process`, no Dispatch sources.
///
/// A dedicated thread waits for the exit (`waitid` with `WNOWAIT`, then `waitpid` under the
/// lock `signal` takes, so a signal can never reach a recycled pid); tasks awaiting ``wait()``
/// are resumed from it and never block a thread of the cooperative pool. Pipes are read by
/// dedicated threads with blocking `read`. Every fd the parent opens is close-on-exec and
/// closed when done; the child gets only fds 0, 1 and 2, an empty signal mask and default
/// signal dispositions.
public final class ChildProcess: Sendable {
    /// Where the child's stdin comes from.
    public enum Input: Sendable {
        /// `/dev/null`.
        case null
        /// The parent's stdin.
        case inherit
        /// A file, read from the start.
        case file(String)
        /// A pipe written through ``ChildProcess/standardInput``.
        case pipe
    }

    /// Where the child's stdout or stderr goes.
    public enum Output: Sendable {
        /// `/dev/null`.
        case null
        /// The parent's stdout / stderr.
        case inherit
        /// A file, created if missing; truncated unless `append`.
        case file(String, append: Bool = false)
        /// For stderr only: wherever stdout goes (a `2>&1`).
        case standardOutput
        /// A pipe whose bytes go to `handler`, called on a dedicated reader thread.
        case pipe(@Sendable (PipeEvent) -> Void)
    }

    /// The process id (valid until the child is reaped; use ``signal(_:)`` to signal it safely).
    public let pid: pid_t
    /// The write end of the stdin pipe, for ``Input/pipe``.
    public let standardInput: PipeWriter?
    private let exit: Latch<Termination>
    private let readers: [Latch<Bool>]

    private init(pid: pid_t, standardInput: PipeWriter?, exit: Latch<Termination>, readers: [Latch<Bool>]) {
        self.pid = pid
        self.standardInput = standardInput
        self.exit = exit
        self.readers = readers
    }

    /// Starts `executable` (a path; no PATH search) with `arguments` (argv[0] is `executable`).
    /// - Parameters:
    ///   - directory: the child's working directory (the parent's when nil).
    ///   - environment: the child's complete environment.
    public static func spawn(_ executable: String, _ arguments: [String], directory: String? = nil,
                             environment: [String: String], input: Input = .null,
                             output: Output = .inherit, error: Output = .inherit) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // Default signal handling in the child: nothing blocked, nothing ignored (the parent may ignore SIGPIPE).
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        // The child's pipe ends, closed in the parent once spawned (the parent's ends: `writer`, `outputPipes`).
        var childEnds: [Int32] = []
        func closeAll(_ fds: [Int32]) { for fd in fds { close(fd) } }
        func makePipe() throws(ChildProcessError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            if let pipe2 = GNUFunctions.pipe2 {
                // Close-on-exec from the start: a child spawned meanwhile by another thread cannot inherit it.
                guard pipe2(&fds, O_CLOEXEC) == 0 else { throw ChildProcessError(operation: "pipe2", code: errno) }
            } else {
                guard pipe(&fds) == 0 else { throw ChildProcessError(operation: "pipe", code: errno) }
                for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            }
            return (fds[0], fds[1])
        }

        var writer: PipeWriter?
        var outputPipes: [(fd: Int32, handler: @Sendable (PipeEvent) -> Void)] = []
        do throws(ChildProcessError) {
            switch input {
            case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            case .inherit: break
            case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
            case .pipe:
                let ends = try makePipe()
                childEnds.append(ends.read)
                posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
                writer = PipeWriter(fd: ends.write)
            }
            for (target, destination) in [(Int32(1), output), (Int32(2), error)] {
                switch destination {
                case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                case .inherit: break
                case .file(let path, let append):
                    posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
                case .standardOutput:
                    if target == 2 { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
                case .pipe(let handler):
                    let ends = try makePipe()
                    childEnds.append(ends.write)
                    posix_spawn_file_actions_adddup2(&actions, ends.write, target)
                    outputPipes.append((ends.read, handler))
                }
            }
        } catch {
            writer?.close()
            closeAll(outputPipes.map(\.fd))
            closeAll(childEnds)
            throw error
        }
        // Only 0, 1 and 2 reach the child, whatever other code opened without close-on-exec.
        _ = GNUFunctions.addClosefrom?(&actions, 3)
        if let directory {
            guard let addChdir = GNUFunctions.addChdir else {
                writer?.close()
                closeAll(outputPipes.map(\.fd))
                closeAll(childEnds)
                throw ChildProcessError(operation: "posix_spawn_file_actions_addchdir_np", code: ENOSYS)
            }
            _ = addChdir(&actions, directory)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var spawned = pid_t()
        let code = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
        let pid = spawned
        closeAll(childEnds)
        guard code == 0 else {
            if let writer { writer.close() }
            closeAll(outputPipes.map(\.fd))
            throw ChildProcessError(operation: "posix_spawn \(executable)", code: code)
        }

        let exit = Latch<Termination>()
        do {
            try startThread { reap(pid, into: exit) }
        } catch {
            // No thread to wait on it: kill and reap it here (a fresh thread could not be made).
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            writer?.close()
            closeAll(outputPipes.map(\.fd))
            throw error
        }
        var readers: [Latch<Bool>] = []
        for (index, pipe) in outputPipes.enumerated() {
            do {
                readers.append(try PipeReader.start(fd: pipe.fd, handler: pipe.handler))
            } catch {
                closeAll(outputPipes.dropFirst(index).map(\.fd))
                let child = ChildProcess(pid: pid, standardInput: writer, exit: exit, readers: readers)
                child.signal(SIGKILL)
                throw error
            }
        }
        return ChildProcess(pid: pid, standardInput: writer, exit: exit, readers: readers)
    }

    /// Spawns, then waits for the exit (see ``spawn(_:_:directory:environment:input:output:error:)``).
    public static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                           environment: [String: String], input: Input = .null,
                           output: Output = .inherit, error: Output = .inherit) async throws -> Termination {
        let child = try spawn(executable, arguments, directory: directory, environment: environment,
                              input: input, output: output, error: error)
        let termination = await child.wait()
        await child.waitForOutput()
        return termination
    }

    /// Waits for the child to exit, suspending the task (no thread is blocked).
    public func wait() async -> Termination { await exit.wait() }

    /// Waits for the child to exit, blocking the calling thread. For synchronous callers only:
    /// never call it on the cooperative pool while something there must answer the child.
    public func waitBlocking() -> Termination { exit.blockingWait() }

    /// Waits until every output pipe reached its end and its handler got `.end`
    /// (when the child and anything it started closed it, normally on exit).
    public func waitForOutput() async {
        for reader in readers { _ = await reader.wait() }
    }

    /// ``waitForOutput()`` blocking the calling thread.
    public func waitForOutputBlocking() {
        for reader in readers { _ = reader.blockingWait() }
    }

    /// The termination, if the child was reaped already.
    public var termination: Termination? { exit.withLock { $0 } }

    /// Sends `signal` unless the child was reaped already (its pid may be reused then).
    /// - Returns: whether the signal was sent.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        exit.withLock { termination in
            termination == nil && kill(pid, signal) == 0
        }
    }

    /// Runs on the child's waiting thread: blocks until it exits, then reaps it under the latch's lock.
    private static func reap(_ pid: pid_t, into exit: Latch<Termination>) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        exit.set {
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            // -1 (ECHILD): someone else reaped it; report it as an unknown failure.
            return result == pid ? Termination(waitStatus: status) : .exited(-1)
        }
    }
}
