public import FoundationEssentials

// MARK: - HTTPRequest

/// One HTTP request for ``CurlHTTPClient/send(_:digest:)``.
///
/// A plain value: the client copies what it needs into libcurl for every
/// attempt, so the same request can be retried or sent again.
public struct HTTPRequest: Sendable {
    /// Absolute `http://` or `https://` URL. Other schemes fail with ``TransportError/Code/invalidURL``.
    public var url: String
    /// The request method, e.g. `GET`, `HEAD`, `POST`, `PUT`. Sent as given.
    public var method: String
    /// Request header fields in send order. Names are sent as given; a repeated
    /// name is sent repeatedly. An empty value removes a header curl would add.
    public var headers: [(name: String, value: String)]
    /// Optional request body (for POST/PUT/PATCH...). `nil` sends no body.
    public var body: Data?
    /// Upper bound on the (decoded) response body. The transfer is aborted as
    /// soon as the bytes delivered exceed it, failing with
    /// ``TransportError/Code/bodyTooLarge`` without downloading the rest.
    public var maxResponseBytes: Int
    /// When set, the response body streams into this file (created or truncated at every attempt)
    /// instead of memory, and ``HTTPResponse/body`` stays empty: a large tarball never sits in memory.
    public var bodyFile: URL?
    /// When set, every decoded body byte is also charged to this budget as it arrives, and the
    /// transfer fails with ``TransportError/Code/bodyTooLarge`` once it is spent.
    public var budget: ResponseBudget?
    /// Whether libcurl follows redirects itself (within ``TransportConfiguration/maxRedirects``).
    /// Off, a redirect is the response: a caller that sends credentials follows it itself, so it
    /// can choose them again for the next address.
    public var followsRedirects = true
    /// The proxy to connect through (`http://host:port`), `""` to connect directly, or nil for
    /// libcurl's own reading of `http_proxy` and the like. Registry requests always set it, as
    /// npm chooses.
    public var proxy: String?
    /// When the request began: its transfer time-out counts from here, so a caller that follows
    /// redirects itself gives every hop the same start (found by review: each of six hops got a
    /// fresh 120 s, and one packument took twelve minutes). nil: from when it is sent. Time an
    /// attempt waits for a free transfer slot does not count.
    public var startedAt: ContinuousClock.Instant?
    /// Whether the response may come encoded (gzip, deflate...): a tarball is already compressed,
    /// and an encoded one only lets a registry put many more bytes on disk than it sends (found by
    /// review: 400 KB on the wire became 1.2 GB in the cache). Off, no Accept-Encoding is sent and
    /// a response naming a content or transfer coding is refused (libcurl decodes the latter unasked).
    public var acceptsEncodings = true

    /// The default response-size cap: 256 MiB.
    public static let defaultMaxResponseBytes = 256 * 1024 * 1024

    /// Creates a request; only `url` is required.
    public init(
        url: String,
        method: String = "GET",
        headers: [(name: String, value: String)] = [],
        body: Data? = nil,
        maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.maxResponseBytes = maxResponseBytes
    }

    /// Convenience: headers from a dictionary (sent in name order, for determinism).
    public init(
        url: String,
        method: String = "GET",
        headers: [String: String],
        body: Data? = nil,
        maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.init(
            url: url, method: method,
            headers: headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) },
            body: body, maxResponseBytes: maxResponseBytes)
    }
}
