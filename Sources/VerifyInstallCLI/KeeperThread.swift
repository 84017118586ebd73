import ChildProcess
import Installer

/// Spawns a child from a thread of its own that lives until the child exits. The child's
/// `PR_SET_PDEATHSIG` fires when the thread that spawned it ends, not only the process: a spawn
/// from a pool thread that the runtime retires later would kill the child early.
enum KeeperThread {
    static func spawn(_ body: @escaping @Sendable () throws -> ChildProcess) async throws -> ChildProcess {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try startThread {
                    do {
                        let child = try body()
                        continuation.resume(returning: child)
                        _ = child.waitBlocking()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            } catch {
                continuation.resume(throwing: InstallError(.internal, "cannot start a thread for the fixture world (\(error))"))
            }
        }
    }
}
