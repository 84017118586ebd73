public import Foundation

/// One HTTP request that arrived inside a CONNECT tunnel, after TLS was terminated.
public struct TunnelRequest: Sendable {
    /// The intercepted host (from `CONNECT host:443`), lowercased.
    public let host: String
    public let method: String
    /// The origin-form request target, e.g. `/timestamp.json` (query included, if any).
    public let target: String
    public let headers: [(name: String, value: String)]
    public let body: Data

    /// The path without query string.
    public var path: String { String(target.prefix { $0 != "?" }) }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The answer to a `TunnelRequest`.
public struct TunnelResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An empty 404, answered at once so npm's fetcher neither retries nor waits (PROTOCOLS §8.6).
    public static let notFound = TunnelResponse(status: 404, headers: [("Content-Type", "text/plain")], body: Data("not found\n".utf8))
}

/// Serves the requests of one intercepted host (the TUF mirror now; Fulcio and Rekor later).
public protocol TunnelResponder: Sendable {
    func respond(to request: TunnelRequest) async -> TunnelResponse
}

/// Serves a fixed map of URL path → bytes for `GET`/`HEAD` (the tunnel omits HEAD bodies); every other path is 404, other methods 405.
public struct StaticFileResponder: TunnelResponder {
    public let files: [String: Data]
    public let contentType: String

    public init(files: [String: Data], contentType: String = "application/json") {
        self.files = files
        self.contentType = contentType
    }

    public func respond(to request: TunnelRequest) async -> TunnelResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return TunnelResponse(status: 405, headers: [("Allow", "GET, HEAD")])
        }
        let path = request.path
        guard let bytes = files[path] ?? path.removingPercentEncoding.flatMap({ files[$0] }) else { return .notFound }
        return TunnelResponse(status: 200, headers: [("Content-Type", contentType)], body: bytes)
    }
}
