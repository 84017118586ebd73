import Synchronization

// MARK: - LoopShared

/// The state shared between awaiting tasks and the transfer thread: the queue
/// of attempts waiting for a slot, pending cancellations, and the shutdown flag.
///
/// Everything sits behind one `Mutex`; nothing blocking runs while it is held.
/// Continuations are resumed after the lock is released.
final class LoopShared: Sendable {
    private struct State {
        /// Attempts waiting for a free transfer slot, oldest first.
        var pending: [TransferJob] = []
        /// Attempts whose task was cancelled while they were running or before
        /// they were submitted. Entries are removed by ``forget(_:)``.
        var cancelRequested: Set<UInt64> = []
        var isShutdown = false
        /// Set by the transfer thread while its multi handle exists.
        var waker: MultiWaker?
    }

    /// What the transfer thread should do next.
    struct Work {
        var jobs: [TransferJob] = []
        var cancellations: Set<UInt64> = []
        var shutdown = false
    }

    private let state = Mutex(State())
    /// Attempt ids, apart from the state so taking one never waits for the transfer thread.
    private let nextID = Atomic<UInt64>(1)

    // MARK: - Task side

    /// A fresh attempt id.
    func makeID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Queues an attempt and wakes the transfer thread; fails it at once if
    /// the client is shut down or the attempt was already cancelled.
    func submit(_ job: TransferJob) {
        let rejection: String? = state.withLock { state in
            if state.isShutdown { return "client shut down" }
            if state.cancelRequested.contains(job.id) { return "task cancelled" }
            // A non-empty queue already has a wake-up on its way (or waits for a free slot, which a
            // finishing transfer's socket activity brings): only the first queued job wakes the loop.
            let wasEmpty = state.pending.isEmpty
            state.pending.append(job)
            if wasEmpty { state.waker?.wake() }
            return nil
        }
        if let rejection { job.finishCancelled(rejection) }
    }

    /// Cancels an attempt: dequeues it if still waiting, otherwise asks the
    /// transfer thread to abort it (or remembers it for a later ``submit(_:)``).
    func cancel(_ id: UInt64) {
        let dequeued: TransferJob? = state.withLock { state in
            if let index = state.pending.firstIndex(where: { $0.id == id }) {
                return state.pending.remove(at: index)
            }
            state.cancelRequested.insert(id)
            state.waker?.wake()
            return nil
        }
        dequeued?.finishCancelled("task cancelled")
    }

    /// Drops bookkeeping for a finished attempt.
    func forget(_ id: UInt64) {
        _ = state.withLock { $0.cancelRequested.remove(id) }
    }

    /// Stops accepting work, fails every queued attempt with `.cancelled` and
    /// tells the transfer thread to abort running ones and exit. Idempotent.
    func shutdown() {
        let dropped: [TransferJob] = state.withLock { state in
            guard !state.isShutdown else { return [] }
            state.isShutdown = true
            state.waker?.wake()
            defer { state.pending = [] }
            return state.pending
        }
        for job in dropped { job.finishCancelled("client shut down") }
    }

    // MARK: - Transfer-thread side

    /// Publishes (or, with `nil`, withdraws) the way to wake the transfer thread.
    func setWaker(_ waker: MultiWaker?) {
        state.withLock { $0.waker = waker }
    }

    /// Whether attempts are queued (waiting for a transfer slot).
    var hasPending: Bool { state.withLock { !$0.pending.isEmpty } }

    /// Takes up to `capacity` queued attempts plus the pending cancellations.
    func takeWork(capacity: Int) -> Work {
        state.withLock { state in
            var work = Work(cancellations: state.cancelRequested, shutdown: state.isShutdown)
            guard !state.isShutdown else { return work }
            let count = min(max(capacity, 0), state.pending.count)
            work.jobs = Array(state.pending.prefix(count))
            state.pending.removeFirst(count)
            return work
        }
    }
}
