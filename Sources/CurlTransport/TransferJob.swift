import FoundationEssentials

// MARK: - TransferJob

/// One attempt of one request, handed from an awaiting task to the transfer thread.
struct TransferJob: Sendable {
    /// Unique per attempt; used to route cancellation.
    let id: UInt64
    let request: HTTPRequest
    /// 1-based attempt number, for error reports.
    let attempt: Int
    /// What is left of the request's transfer time-out for this attempt, counted from when its
    /// transfer begins (time queued for a free transfer slot is not counted: found by review,
    /// honest slow registries failed large installs); nil: no limit.
    let timeout: Duration?
    /// Makes the per-attempt digest on the transfer thread.
    let digestFactory: (@Sendable () -> any StreamingDigest)?
    /// Resumed exactly once with the attempt's outcome.
    let continuation: CheckedContinuation<AttemptResult, Never>

    /// Resumes the waiting task.
    func finish(_ result: AttemptResult) {
        continuation.resume(returning: result)
    }

    /// Resumes the waiting task with ``TransportError/Code/cancelled``.
    func finishCancelled(_ reason: String) {
        finish(.failure(TransportError(code: .cancelled, url: request.url, attempts: attempt, message: reason)))
    }
}

/// The outcome of one attempt: a complete HTTP response (any status) or a transport failure.
typealias AttemptResult = Result<CompletedTransfer, TransportError>

// MARK: - CompletedTransfer

/// What one successful attempt produced, before retry bookkeeping.
struct CompletedTransfer: Sendable {
    let url: String
    let status: Int
    let headers: [String: String]
    let body: Data
    let digest: [UInt8]?
}
