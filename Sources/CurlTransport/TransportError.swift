// MARK: - TransportError

/// A request that produced no HTTP response: the connection failed, timed out,
/// the body was too large, the URL was unusable, or the request was cancelled.
///
/// HTTP error statuses are not transport errors; they come back as an
/// ``HTTPResponse``.
public struct TransportError: Error, CustomStringConvertible, Sendable {
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
        self.code = code
        self.url = url
        self.attempts = attempts
        self.message = message
        self.curlCode = curlCode
    }

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
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `"timedOut"`.
        public let name: String

        /// Creates a code from its name.
        public init(_ name: String) { self.name = name }

        public var description: String { name }

        /// Could not resolve, connect, or the connection broke mid-transfer. Retried.
        public static let connectionFailed = Code("connectionFailed")
        /// Connect, transfer or low-speed time-out. Retried.
        public static let timedOut = Code("timedOut")
        /// The response body exceeded ``HTTPRequest/maxResponseBytes``. Never retried.
        public static let bodyTooLarge = Code("bodyTooLarge")
        /// The URL is malformed or not http(s). Never retried.
        public static let invalidURL = Code("invalidURL")
        /// The awaiting task was cancelled or the client shut down. Never retried.
        public static let cancelled = Code("cancelled")
        /// More redirects than ``TransportConfiguration/maxRedirects``. Never retried.
        public static let tooManyRedirects = Code("tooManyRedirects")
        /// Anything else libcurl reported (TLS trust, protocol errors...). Never retried.
        public static let other = Code("other")

        /// Whether a failure of this kind is worth another attempt.
        var isRetryable: Bool { self == .connectionFailed || self == .timedOut }
    }
}
