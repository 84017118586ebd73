import CurlTransport
import Foundation
import SafeJSON

/// Plain GETs against the world for the gate's own checks (libcurl, as the consumer uses).
enum GateHTTP {
    static func data(_ url: String) async throws -> Data {
        let client = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 2))
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(url: url, headers: ["Accept": "application/json"]))
        guard response.status == 200 else { throw GateFailure("GET \(url) answered \(response.status)") }
        return response.body
    }

    static func json(_ url: String) async throws -> JSONValue { try JSONValue.parse(try await data(url)) }
}

struct GateFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
