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
        var pending = PendingJobs()
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
    /// Transfers this thread may run at once.
    let slots: Int
    /// Attempts submitted here and not yet finished, running or queued.
    private let outstanding = Atomic<Int>(0)

    init(slots: Int = 1) { self.slots = max(slots, 1) }

    // MARK: - Task side

    /// Counts an attempt in (before it is submitted) or out (once it has finished).
    func track(_ change: Int) { outstanding.wrappingAdd(change, ordering: .relaxed) }

    /// Whether this thread is less loaded than `other`, for its slots: outstanding attempts per slot.
    func isLessLoaded(than other: LoopShared) -> Bool {
        outstanding.load(ordering: .relaxed) * other.slots < other.outstanding.load(ordering: .relaxed) * slots
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
            if let job = state.pending.remove(id: id) { return job }
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
            return state.pending.takeAll()
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
            work.jobs = state.pending.take(max(capacity, 0))
            return work
        }
    }
}

/// A FIFO of queued attempts whose `take` costs what it takes, not what stays queued: the
/// transfer thread takes a few jobs at a time from a queue that can hold thousands, under the
/// lock that submitting tasks wait for.
struct PendingJobs {
    /// Taken slots are nil, so a taken job is not kept alive by the queue.
    private var jobs: [TransferJob?] = []
    /// Slots before `head` are taken.
    private var head = 0

    var isEmpty: Bool { head == jobs.count }

    mutating func append(_ job: TransferJob) { jobs.append(job) }

    /// Up to `count` of the oldest jobs, removed.
    mutating func take(_ count: Int) -> [TransferJob] {
        let end = head + min(count, jobs.count - head)
        var taken: [TransferJob] = []
        taken.reserveCapacity(end - head)
        for index in head..<end {
            if let job = jobs[index] { taken.append(job) }
            jobs[index] = nil
        }
        head = end
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= jobs.count {  // reclaim the taken prefix now and then
            jobs.removeFirst(head)
            head = 0
        }
        return taken
    }

    /// Every queued job, removed.
    mutating func takeAll() -> [TransferJob] { take(jobs.count - head) }

    /// The queued job with attempt id `id`, removed; nil when it is not queued.
    mutating func remove(id: UInt64) -> TransferJob? {
        guard let index = jobs[head...].firstIndex(where: { $0?.id == id }) else { return nil }
        return jobs.remove(at: index)
    }
}
