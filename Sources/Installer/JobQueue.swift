import Synchronization

/// The run's package jobs: a FIFO drained by at most `width` worker tasks, so however many
/// packages are planned, at most `width` jobs (their task frames, attestation responses and
/// staging files) are alive at once.
///
/// A failed job cancels every job queued or running after it in queue order; the jobs before it
/// run to their end. So the error reported is the earliest failing job's, whatever the timing,
/// as when every job was awaited in order.
final class JobQueue: Sendable {
    typealias Work = @Sendable () async throws -> PackageOutcome

    private struct State {
        /// Queued jobs from `head` on; taken slots are nil so their captures are freed at once.
        var pending: [(index: Int, work: Work)?] = []
        var head = 0
        var results: [PackageOutcome?] = []
        var failure: (index: Int, error: any Error)?
        var cancelled = false
        var workers: [Int: Task<Void, Never>] = [:]
        /// Which job each busy worker runs.
        var running: [Int: Int] = [:]
        var nextWorker = 0
    }

    private let width: Int
    private let state = Mutex(State())

    /// A queue run by at most `width` workers.
    init(width: Int) {
        self.width = max(1, width)
    }

    /// Queues `work` as the next job; it starts as soon as a worker is free. After a failure or
    /// `cancel()`, later jobs are not run.
    func enqueue(_ work: @escaping Work) {
        state.withLock { s in
            let index = s.results.count
            s.results.append(nil)
            guard !s.cancelled, s.failure == nil else { return }
            s.pending.append((index, work))
            guard s.workers.count < width else { return }
            let id = s.nextWorker
            s.nextWorker += 1
            // The worker takes its first job under this lock, so it is registered before it can leave.
            s.workers[id] = Task { await self.drain(worker: id) }
        }
    }

    /// Waits until every queued job has run; throws the earliest failing job's error.
    /// Returns each job's outcome in queue order. Cancelling the caller cancels the jobs.
    func outcomes() async throws -> [PackageOutcome] {
        await withTaskCancellationHandler {
            await waitForWorkers()
        } onCancel: {
            cancelAll()
        }
        return try state.withLock { s in
            if let failure = s.failure { throw failure.error }
            let done = s.results.compactMap { $0 }
            guard !s.cancelled, done.count == s.results.count else { throw CancellationError() }
            return done
        }
    }

    /// Cancels every queued and running job and waits until none is running.
    func cancel() async {
        cancelAll()
        await waitForWorkers()
    }

    private func cancelAll() {
        state.withLock { s in
            s.cancelled = true
            s.pending.removeAll()
            s.head = 0
            s.workers.values.forEach { $0.cancel() }
        }
    }

    private func waitForWorkers() async {
        while let worker = state.withLock({ $0.workers.values.first }) {
            await worker.value
        }
    }

    private func drain(worker id: Int) async {
        while let (index, work) = next(for: id) {
            do {
                let outcome = try await work()
                state.withLock { $0.results[index] = outcome }
            } catch {
                failed(index, error)
            }
        }
    }

    /// The next queued job for worker `id`, or nil (and the worker leaves) when none is queued.
    private func next(for id: Int) -> (Int, Work)? {
        state.withLock { s in
            s.running[id] = nil
            guard s.head < s.pending.count, let job = s.pending[s.head] else {
                s.workers[id] = nil
                return nil
            }
            s.pending[s.head] = nil
            s.head += 1
            if s.head >= 256, s.head * 2 >= s.pending.count {
                s.pending.removeFirst(s.head)
                s.head = 0
            }
            s.running[id] = job.index
            return (job.index, job.work)
        }
    }

    /// Records the failure of job `index` when it is the earliest so far, dropping every queued job
    /// (all later in order) and cancelling the running ones after it.
    private func failed(_ index: Int, _ error: any Error) {
        state.withLock { s in
            if let earlier = s.failure, earlier.index < index { return }
            s.failure = (index, error)
            s.pending.removeAll()
            s.head = 0
            for (worker, job) in s.running where job > index {
                s.workers[worker]?.cancel()
            }
        }
    }
}
