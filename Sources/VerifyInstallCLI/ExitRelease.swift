import Synchronization

/// Values whose memory the process exit gives back: a finished run's packuments, manifests,
/// outcomes and report are tens of thousands of objects, and freeing them one by one on the way
/// out took about 10 ms of one core at the end of a 1,000-package install, for memory the exit
/// returns at once (as clang's `-disable-free` does). Only for values no deinit has work in:
/// nothing is flushed or removed when they go.
enum ExitRelease {
    private struct Kept: @unchecked Sendable { let value: Any }
    private static let kept = Mutex<[Kept]>([])

    /// Keeps `value` alive until the process exits.
    static func keep(_ value: Any) {
        kept.withLock { $0.append(Kept(value: value)) }
    }
}
