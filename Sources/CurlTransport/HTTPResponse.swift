public import FoundationEssentials

// MARK: - HTTPResponse

/// The final response to an ``HTTPRequest``, after redirects and retries.
///
/// Any HTTP status is a response, not an error: 4xx come back at once, 5xx
/// come back once the retry policy is exhausted. Callers decide what a status means.
public struct HTTPResponse: Sendable {
    /// The effective URL after following redirects.
    public let url: String
    /// The HTTP status code of the last response (e.g. 200, 404, 503).
    public let status: Int
    /// Header fields of the last response, names lower-cased. A repeated field
    /// is joined with `", "` in arrival order.
    public let headers: [String: String]
    /// The body exactly as delivered by libcurl: after content-decoding
    /// (gzip/deflate/br are accepted and decoded), before anything else.
    public let body: Data
    /// The injected ``StreamingDigest`` of ``body``, fed chunk by chunk as the
    /// bytes arrived, or `nil` when no digest was requested.
    ///
    /// It covers the *decoded* bytes. npm hashes tarball bytes, and registries
    /// serve `.tgz` files without a `Content-Encoding`, so for tarballs the
    /// decoded and the wire bytes are the same.
    public let bodyDigest: [UInt8]?
    /// How many attempts were made (1 when the first one was final).
    public let attempts: Int
    /// The file holding the body when the request named ``HTTPRequest/bodyFile``.
    public var bodyFile: URL?
    /// Whether the transport charged the body to ``HTTPRequest/budget`` as it arrived (a transport
    /// that does not leaves it false, and the caller charges the whole body after the fact).
    public var chargedToBudget = false

    /// Creates a response (public so that other modules can fake transports in tests).
    public init(url: String, status: Int, headers: [String: String], body: Data, bodyDigest: [UInt8]?, attempts: Int) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyDigest = bodyDigest
        self.attempts = attempts
    }

    /// True for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Looks a header up by name, case-insensitively.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
