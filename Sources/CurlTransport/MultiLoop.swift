internal import CCurl
import Dispatch
import FoundationEssentials
import Synchronization

// MARK: - MultiLoop

/// The transfer thread: owns the multi handle and every running ``Transfer``,
/// and is the only thread that makes blocking libcurl calls.
///
/// Each turn it takes new work and cancellations from ``LoopShared`` (never
/// more running transfers than the configured limit), lets libcurl do the
/// ready I/O (`curl_multi_perform`), hands finished transfers back to their
/// tasks, then sleeps in `curl_multi_poll` until there is I/O, a libcurl
/// timer is due, or ``MultiWaker/wake()`` is called.
final class MultiLoop {
    private let shared: LoopShared
    private let configuration: TransportConfiguration
    private let multi: CurlMulti
    /// Running transfers by their `CURL *`.
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]

    private init(shared: LoopShared, configuration: TransportConfiguration) throws(CurlCallError) {
        self.shared = shared
        self.configuration = configuration
        multi = try CurlMulti()
        // Idle connections kept for reuse; the multi handle lives as long as the client.
        try multi.set(CURLMOPT_MAXCONNECTS, max(configuration.maxCachedConnections, 1))
    }

    /// Starts the transfer thread and waits until its multi handle is ready.
    static func start(shared: LoopShared, configuration: TransportConfiguration) throws(CurlCallError) {
        let startup = StartupSignal()
        try startDedicatedThread {
            let loop: MultiLoop
            do throws(CurlCallError) {
                loop = try MultiLoop(shared: shared, configuration: configuration)
            } catch {
                startup.report(.failure(error))
                return
            }
            shared.setWaker(loop.multi.waker)
            startup.report(.success(()))
            loop.run()
        }
        try startup.wait().get()
    }

    // MARK: - Loop

    private func run() {
        let limit = max(configuration.maxConcurrentTransfers, 1)
        while true {
            let work = shared.takeWork(capacity: limit - running.count)
            if work.shutdown { break }
            // A slot freed by a cancellation, a job that could not start or a finished transfer
            // goes to queued work at once, not after the poll's time-out (found by review: a
            // cancellation left queued jobs waiting up to a second).
            var freed = false
            if !work.cancellations.isEmpty {
                let cancelled = running.filter { work.cancellations.contains($0.value.job.id) }.keys
                for easy in cancelled { finish(easy, with: nil, cancelReason: "task cancelled"); freed = true }
            }
            for job in work.jobs where !begin(job) { freed = true }
            do {
                try multi.perform()
                while let (easy, code) = multi.nextCompleted() { finish(easy, with: code); freed = true }
                // Queued work waiting for the slots just freed starts now, not after the poll's time-out.
                if freed && shared.hasPending { continue }
                try multi.poll(timeoutMilliseconds: 1000)
            } catch {
                // The multi handle itself is broken: fail what runs, keep serving.
                for easy in Array(running.keys) { finish(easy, with: nil, failure: error) }
                pauseThread(milliseconds: 10)  // do not spin if the failure persists
            }
        }
        for easy in Array(running.keys) { finish(easy, with: nil, cancelReason: "client shut down") }
        // Withdraw the waker before `multi` (and its CURLM *) is released.
        shared.setWaker(nil)
    }

    /// Creates the transfer and hands it to libcurl, or fails the job at once (then false).
    private func begin(_ job: TransferJob) -> Bool {
        do throws(TransportError) {
            let transfer = try Transfer(job: job, configuration: configuration)
            do {
                try multi.add(transfer.easy)
            } catch {
                throw error.transportError(url: job.request.url, attempts: job.attempt)
            }
            running[transfer.easy.raw] = transfer
            return true
        } catch {
            job.finish(.failure(error))
            return false
        }
    }

    /// Detaches a transfer from libcurl and resumes its task: with the outcome of
    /// `code` if it completed, as cancelled, or with a multi-handle failure.
    private func finish(_ easy: UnsafeMutableRawPointer, with code: CURLcode?,
                        cancelReason: String? = nil, failure: CurlCallError? = nil) {
        guard let transfer = running.removeValue(forKey: easy) else { return }
        var result: AttemptResult
        if let code {
            result = transfer.outcome(for: code)
        } else if let failure {
            result = .failure(failure.transportError(url: transfer.job.request.url, attempts: transfer.job.attempt))
        } else {
            result = .failure(TransportError(code: .cancelled, url: transfer.job.request.url,
                                             attempts: transfer.job.attempt, message: cancelReason ?? "cancelled"))
        }
        do {
            try multi.remove(transfer.easy)
        } catch {
            if case .success = result {
                result = .failure(error.transportError(url: transfer.job.request.url, attempts: transfer.job.attempt))
            }
        }
        transfer.job.finish(result)
    }
}

// MARK: - StartupSignal

/// One-shot hand-over of the transfer thread's start-up result to the creating thread.
private final class StartupSignal: Sendable {
    private let result = Mutex<Result<Void, CurlCallError>?>(nil)
    private let semaphore = DispatchSemaphore(value: 0)

    func report(_ outcome: Result<Void, CurlCallError>) {
        result.withLock { $0 = outcome }
        semaphore.signal()
    }

    func wait() -> Result<Void, CurlCallError> {
        semaphore.wait()
        return result.withLock { $0 ?? .success(()) }
    }
}
