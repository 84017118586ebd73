import FoundationEssentials
import Synchronization

// MARK: - CurlHTTPClient

/// An HTTP client over libcurl's multi interface, safe to share between tasks.
///
/// Dedicated threads drive every transfer (so blocking libcurl calls never
/// occupy Swift's cooperative pool), one by default
/// (``TransportConfiguration/transferThreads``). Each keeps one multi handle for the
/// client's life, whose connection cache reuses keep-alive connections (HTTP/1.1; an
/// `https` server may also negotiate HTTP/2 through ALPN). Each attempt goes to the
/// least loaded thread. At most ``TransportConfiguration/maxConcurrentTransfers`` run at
/// once, dealt out between the threads (never more threads than that); the rest wait in FIFO
/// order on their thread. Redirects are followed, compressed responses are decoded,
/// and transient failures are retried per ``TransportConfiguration/retry``.
public final class CurlHTTPClient: Sendable {
    private let configuration: TransportConfiguration
    /// One per transfer thread; an attempt goes to the least loaded for its slots.
    private let lanes: [LoopShared]
    /// Attempt ids, apart from the lanes so taking one never waits for a transfer thread.
    private let nextID = Atomic<UInt64>(1)

    /// Initialises libcurl (once per process) and starts the transfer threads.
    /// - Throws: ``TransportError`` (`.other`) if libcurl cannot be set up.
    public init(configuration: TransportConfiguration = .init()) throws {
        self.configuration = configuration
        lanes = (0..<configuration.threadCount).map { LoopShared(slots: configuration.share(ofThread: $0).maxConcurrentTransfers) }
        do {
            try CurlGlobal.ensureInitialized()
            for (index, lane) in lanes.enumerated() {
                try MultiLoop.start(shared: lane, configuration: configuration.share(ofThread: index))
            }
        } catch {
            for lane in lanes { lane.shutdown() }
            throw error.transportError(url: "", attempts: 0)
        }
    }

    deinit {
        shutdown()
    }

    /// Stops the client: queued and running requests fail with
    /// ``TransportError/Code/cancelled``, later ones too, and the transfer
    /// threads exit. Idempotent; also run on deinit.
    public func shutdown() {
        for lane in lanes { lane.shutdown() }
    }

    // MARK: - Sending

    /// Sends `request`, retrying transient failures, and returns the final response.
    ///
    /// - Parameter digest: makes a fresh ``StreamingDigest`` for each attempt; it
    ///   is fed the decoded body as it arrives and its result is ``HTTPResponse/bodyDigest``.
    /// - Returns: the response for any HTTP status; a 5xx only once retries are exhausted.
    /// - Throws: ``TransportError`` when no response was obtained; `.cancelled`
    ///   when the calling task is cancelled (the running transfer is aborted).
    public func send(
        _ request: HTTPRequest,
        digest: (@Sendable () -> any StreamingDigest)? = nil
    ) async throws -> HTTPResponse {
        let policy = configuration.retry
        let maxAttempts = max(policy.maxAttempts, 1)
        // The transfer time-out bounds the request, retries included (found by review: a registry
        // trickling bytes held one request for three whole time-outs).
        let deadline = configuration.transferTimeout > .zero ? (request.startedAt ?? ContinuousClock.now) + configuration.transferTimeout : nil
        var attempt = 0
        while true {
            attempt += 1
            let retryable: Bool
            // A retry's sleep may end past the deadline (found by review: two heavy packuments parsed
            // meanwhile made it late, and the attempt then ran with no time-out at all).
            let remaining = deadline.map { $0 - ContinuousClock.now }
            if let remaining, remaining <= .zero {
                throw TransportError(code: .timedOut, url: request.url, attempts: attempt - 1,
                                     message: "no time left of the \(configuration.transferTimeout) the request may take, retries included")
            }
            switch await perform(request, attempt: attempt, timeout: remaining, digest: digest) {
            case .success(let done):
                retryable = (500..<600).contains(done.status)
                if !retryable || attempt >= maxAttempts || !Self.hasTime(before: deadline, after: policy.delay(afterAttempt: attempt)) {
                    var response = HTTPResponse(url: done.url, status: done.status, headers: done.headers,
                                                body: done.body, bodyDigest: done.digest, attempts: attempt)
                    response.bodyFile = request.bodyFile
                    response.chargedToBudget = request.budget != nil
                    return response
                }
            case .failure(let error):
                retryable = error.code.isRetryable
                if !retryable || attempt >= maxAttempts || !Self.hasTime(before: deadline, after: policy.delay(afterAttempt: attempt)) {
                    throw error.with(attempts: attempt)
                }
            }
            do {
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
            } catch {
                throw TransportError(code: .cancelled, url: request.url, attempts: attempt,
                                     message: "task cancelled while waiting to retry")
            }
        }
    }

    /// Whether another attempt could start after `delay` and still have time before `deadline`.
    private static func hasTime(before deadline: ContinuousClock.Instant?, after delay: Duration) -> Bool {
        deadline.map { ContinuousClock.now + delay < $0 } ?? true
    }

    /// Runs one attempt on its transfer thread, within `timeout` of when it begins; cancelling the
    /// task aborts it.
    private func perform(
        _ request: HTTPRequest, attempt: Int, timeout: Duration?, digest: (@Sendable () -> any StreamingDigest)?
    ) async -> AttemptResult {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        // The least loaded thread, not the next in turn (found by review: an attempt dealt in turn
        // waited behind a stalled transfer while other threads had free slots).
        let shared = lanes.dropFirst().reduce(lanes[0]) { $1.isLessLoaded(than: $0) ? $1 : $0 }
        shared.track(1)
        defer { shared.track(-1); shared.forget(id) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                shared.submit(TransferJob(id: id, request: request, attempt: attempt, timeout: timeout,
                                          digestFactory: digest, continuation: continuation))
            }
        } onCancel: {
            shared.cancel(id)
        }
    }
}
