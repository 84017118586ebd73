import CurlTransport
import Foundation
import SafeJSON

/// libcurl (the consumer's transport) for tests that talk to a registry over real sockets.
struct CurlClient: Sendable {
    let curl: CurlHTTPClient

    init(retry: RetryPolicy = .none, transferTimeout: Duration = .seconds(60)) throws {
        curl = try CurlHTTPClient(configuration: TransportConfiguration(transferTimeout: transferTimeout, retry: retry))
    }

    func get(_ url: String, accept: String = "application/json") async throws -> HTTPResponse {
        try await curl.send(HTTPRequest(url: url, headers: [(name: "Accept", value: accept)]))
    }

    func send(_ method: String, _ url: String, token: String? = nil, json: JSONValue? = nil) async throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/json")]
        if let token { headers.append((name: "Authorization", value: "Bearer \(token)")) }
        return try await curl.send(HTTPRequest(url: url, method: method, headers: headers, body: try json?.serialized() ?? Data()))
    }

    func shutdown() { curl.shutdown() }
}
