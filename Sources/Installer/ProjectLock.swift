import FoundationEssentials
import Glibc

/// An exclusive `flock(2)` on the project folder for a whole install or ci: two runs never
/// commit into one `node_modules` at once, and a run that holds it knows every staging folder
/// it finds was left by a run that is gone (the kernel drops the lock with its process, in any
/// pid namespace). Nothing is written into the project for it.
final class ProjectLock: Sendable {
    private let descriptor: Int32

    init(prefix: URL) throws {
        let descriptor = open(prefix.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InstallError(.fileSystem, "cannot open the project folder \(prefix.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
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
