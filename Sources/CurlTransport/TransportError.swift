public import CodedError

// MARK: - TransportError

/// A request that produced no HTTP response: the connection failed, timed out,
/// the body was too large, the URL was unusable, or the request was cancelled.
///
/// HTTP error statuses are not transport errors; they come back as an
/// ``HTTPResponse``.
public struct TransportError: CodedError, Sendable {
    /// What went wrong, coarse enough to decide on (retry, report, give up).
    public let code: Code
    /// The URL of the request (as requested, not after redirects).
    public let url: String
    /// How many attempts were made before giving up (0 if none started).
    public let attempts: Int
    /// libcurl's error-buffer text (or a message of ours), for humans.
    public let message: String
    /// The raw libcurl `CURLcode`, when libcurl reported the failure.
    public let curlCode: Int?

    /// Creates an error.
    public init(code: Code, url: String, attempts: Int, message: String, curlCode: Int? = nil) {
        (self.code, self.url, self.attempts, self.message, self.curlCode) = (code, url, attempts, message, curlCode)
    }

    /// The URL, the attempts and libcurl's code.
    public var context: ErrorContext { ["url": url, "attempts": String(attempts), "curl": curlCode.map(String.init)] }

    /// One line: code, URL, attempts and message.
    public var description: String {
        var text = "\(code) for \(url) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        if !message.isEmpty { text += ": \(message)" }
        if let curlCode { text += " (curl error \(curlCode))" }
        return text
    }

    /// The same error with another attempt count.
    func with(attempts: Int) -> TransportError {
        TransportError(code: code, url: url, attempts: attempts, message: message, curlCode: curlCode)
    }
}

// MARK: - Code

extension TransportError {
    /// An open set of error kinds: new ones may be added without breaking
    /// callers, so switch over it with a `default`.
    public typealias Code = ErrorCode<TransportError>
}

extension ErrorCode where Domain == TransportError {
    /// Could not resolve, connect, or the connection broke mid-transfer. Retried.
    public static let connectionFailed = Self("connectionFailed")
    /// Connect, transfer or low-speed time-out. Retried.
    public static let timedOut = Self("timedOut")
    /// The response body exceeded ``HTTPRequest/maxResponseBytes``. Never retried.
    public static let bodyTooLarge = Self("bodyTooLarge")
    /// The URL is malformed or not http(s). Never retried.
    public static let invalidURL = Self("invalidURL")
    /// The awaiting task was cancelled or the client shut down. Never retried.
    public static let cancelled = Self("cancelled")
    /// More redirects than ``TransportConfiguration/maxRedirects``. Never retried.
    public static let tooManyRedirects = Self("tooManyRedirects")
    /// Anything else libcurl reported (TLS trust, protocol errors...). Never retried.
    public static let other = Self("other")

    /// Whether a failure of this kind is worth another attempt.
    var isRetryable: Bool { self == .connectionFailed || self == .timedOut }
}
