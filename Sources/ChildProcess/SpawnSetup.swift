#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The file actions and attributes of one `posix_spawn`, and the pipes they create: the child's
/// ends (closed in the parent once spawned) and the parent's (`writer`, `outputPipes`).
final class SpawnSetup {
    private var actions = posix_spawn_file_actions_t()
    private var attributes = posix_spawnattr_t()
    private var childEnds: [Int32] = []
    /// The parent's end of the stdin pipe, for ``ChildProcess/Input/pipe``.
    private(set) var writer: PipeWriter?
    /// The parent's ends of the output pipes, with their handlers.
    private(set) var outputPipes: [(fd: Int32, handler: @Sendable (PipeEvent) -> Void)] = []

    /// Default signal handling in the child: nothing blocked, nothing ignored (the parent may ignore SIGPIPE).
    init() {
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
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
    }

    deinit {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }

    /// Where fd 0 comes from.
    func redirect(_ input: ChildProcess.Input) throws(ChildProcessError) {
        switch input {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .inherit: break
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        case .pipe:
            let ends = try Self.makePipe()
            childEnds.append(ends.read)
            posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            writer = PipeWriter(fd: ends.write)
        }
    }

    /// Where fd `target` (1 or 2) goes.
    func redirect(_ destination: ChildProcess.Output, to target: Int32) throws(ChildProcessError) {
        switch destination {
        case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        case .file(let path, let append):
            posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
        case .standardOutput:
            if target == 2 { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        case .pipe(let handler):
            let ends = try Self.makePipe()
            childEnds.append(ends.write)
            posix_spawn_file_actions_adddup2(&actions, ends.write, target)
            outputPipes.append((ends.read, handler))
        }
    }

    /// Only 0, 1 and 2 reach the child, whatever other code opened without close-on-exec; the
    /// child starts in `directory` when given.
    func restrict(directory: String?) throws(ChildProcessError) {
        _ = GNUFunctions.addClosefrom?(&actions, 3)
        guard let directory else { return }
        guard let addChdir = GNUFunctions.addChdir else {
            throw ChildProcessError(operation: "posix_spawn_file_actions_addchdir_np", code: ENOSYS)
        }
        _ = addChdir(&actions, directory)
    }

    /// Spawns the child, then closes the child's pipe ends in the parent.
    func launch(_ executable: String, _ arguments: [String], environment: [String: String]) throws(ChildProcessError) -> pid_t {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var spawned = pid_t()
        let code = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
        closeChildEnds()
        guard code == 0 else { throw ChildProcessError(operation: "posix_spawn \(executable)", code: code) }
        return spawned
    }

    /// Closes the child's pipe ends (once).
    func closeChildEnds() {
        Self.closeAll(childEnds)
        childEnds = []
    }

    /// Closes the parent's pipe ends, after a failure.
    func closeParentEnds() {
        writer?.close()
        Self.closeAll(outputPipes.map(\.fd))
    }

    static func closeAll(_ fds: [Int32]) { for fd in fds { close(fd) } }

    /// A pipe whose both ends are close-on-exec from the start, so a child spawned meanwhile by
    /// another thread cannot inherit it.
    private static func makePipe() throws(ChildProcessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = GNUFunctions.pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { throw ChildProcessError(operation: "pipe2", code: errno) }
        } else {
            guard pipe(&fds) == 0 else { throw ChildProcessError(operation: "pipe", code: errno) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }
}
