import FoundationEssentials
import Glibc

/// An exclusive `flock(2)` on the project folder for a whole install or ci: two runs never
/// commit into one `node_modules` at once, and a run that holds it knows every staging folder
/// it finds was left by a run that is gone (the kernel drops the lock with its process, in any
/// pid namespace). Nothing is written into the project for it.
final class ProjectLock: Sendable {
    private let descriptor: Int32

    /// How long a busy lock is waited for: a run that is just finishing releases it within
    /// moments, and so does a child process another thread of this process is starting (it holds
    /// a copy of the descriptor from its fork until its exec closes it; found as a flaky test).
    static let patience: Duration = .seconds(2)

    /// Takes the lock, waiting up to `patience` while it is busy; `onBusy` runs once, when it
    /// first finds it busy.
    init(prefix: URL, patience: Duration = ProjectLock.patience, onBusy: () -> Void = {}) throws {
        let descriptor = open(prefix.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InstallError(.fileSystem, "cannot open the project folder \(prefix.path): \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + patience
        var toldBusy = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            if busy, ContinuousClock.now < deadline {
                if !toldBusy { toldBusy = true; onBusy() }
                usleep(10_000)
                continue
            }
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw InstallError(.fileSystem, busy
                ? "another verify-install run is installing into \(prefix.path); run again when it has finished"
                : "cannot lock the project folder \(prefix.path): \(reason)")
        }
        self.descriptor = descriptor
    }

    deinit { Glibc.close(descriptor) }  // closing the last descriptor releases the lock
}
