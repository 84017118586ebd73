import ChildProcess
import Glibc
import Installer

/// Spawns a child from a thread of its own that lives until the child exits. The child's
/// `PR_SET_PDEATHSIG` fires when the thread that spawned it ends, not only the process: a spawn
/// from a pool thread that the runtime retires later would kill the child early.
enum KeeperThread {
    private final class Job: @unchecked Sendable {
        let spawn: () throws -> ChildProcess
        let continuation: CheckedContinuation<ChildProcess, any Error>
        init(_ spawn: @escaping () throws -> ChildProcess, _ continuation: CheckedContinuation<ChildProcess, any Error>) {
            (self.spawn, self.continuation) = (spawn, continuation)
        }

        func run() {
            do {
                let child = try spawn()
                continuation.resume(returning: child)
                _ = child.waitBlocking()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    static func spawn(_ body: @escaping @Sendable () throws -> ChildProcess) async throws -> ChildProcess {
        try await withCheckedThrowingContinuation { continuation in
            let job = Unmanaged.passRetained(Job(body, continuation)).toOpaque()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            pthread_attr_setstacksize(&attributes, 256 * 1024)
            var thread = pthread_t()
            let code = pthread_create(&thread, &attributes, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, job)
            if code != 0 {
                Unmanaged<Job>.fromOpaque(job).release()
                continuation.resume(throwing: InstallError(.internal, "cannot start a thread for the fixture world (errno \(code))"))
            }
        }
    }
}
