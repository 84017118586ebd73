public import CurlTransport

/// What the registry client needs from HTTP: one request in, one response out.
/// `CurlHTTPClient` is the production transport; tests may wrap it to observe traffic.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse
}

extension CurlHTTPClient: HTTPTransport {}
