#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

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
        let setup = SpawnSetup()
        let pid: pid_t
        do throws(ChildProcessError) {
            try setup.redirect(input)
            try setup.redirect(output, to: 1)
            try setup.redirect(error, to: 2)
            try setup.restrict(directory: directory)
            pid = try setup.launch(executable, arguments, environment: environment)
        } catch {
            setup.closeChildEnds()
            setup.closeParentEnds()
            throw error
        }
        return try watch(pid, setup)
    }

    /// Starts the thread that reaps `pid` and the readers of its output pipes.
    private static func watch(_ pid: pid_t, _ setup: SpawnSetup) throws -> ChildProcess {
        let exit = Latch<Termination>()
        do {
            try startThread { reap(pid, into: exit) }
        } catch {
            // No thread to wait on it: kill and reap it here (a fresh thread could not be made).
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            setup.closeParentEnds()
            throw error
        }
        var readers: [Latch<Bool>] = []
        for (index, pipe) in setup.outputPipes.enumerated() {
            do {
                readers.append(try PipeReader.start(fd: pipe.fd, handler: pipe.handler))
            } catch {
                SpawnSetup.closeAll(setup.outputPipes.dropFirst(index).map(\.fd))
                let child = ChildProcess(pid: pid, standardInput: setup.writer, exit: exit, readers: readers)
                child.signal(SIGKILL)
                throw error
            }
        }
        return ChildProcess(pid: pid, standardInput: setup.writer, exit: exit, readers: readers)
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
