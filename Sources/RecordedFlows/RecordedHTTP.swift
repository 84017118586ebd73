import CurlTransport
import Foundation

/// Sends recorded requests to a loopback server and captures responses the way recordings
/// keep them: the path only, the flow's own headers, the body bytes as UTF-8 text.
struct RecordedHTTP: Sendable {
    let client: CurlHTTPClient

    init() throws {
        client = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 2, retry: .none))
    }

    func shutdown() { client.shutdown() }

    /// Sends `request` to `origin` (`http://127.0.0.1:<port>`, no trailing slash).
    func send(_ request: RecordedExchange.Request, to origin: String) async throws -> RecordedExchange.Response {
        let url = origin + request.path
        let response = try await client.send(HTTPRequest(url: url, method: request.method, headers: request.headers))
        guard let body = String(data: response.body, encoding: .utf8) else {
            throw RecordedFlowError("\(request.method) \(request.path): the response body is not UTF-8 (\(response.body.count) bytes)")
        }
        return RecordedExchange.Response(status: response.status, contentType: response.header("content-type"), body: body)
    }

    /// `scheme://host:port` of a base URL such as `http://127.0.0.1:4873/npm/`.
    static func origin(of baseURL: String) throws -> String {
        guard let url = URL(string: baseURL), let scheme = url.scheme, let host = url.host, let port = url.port else {
            throw RecordedFlowError("expected a base URL with scheme, host and port, found \(baseURL)")
        }
        return "\(scheme)://\(host):\(port)"
    }

    /// npm's `escapedName`: only the first `/` becomes `%2f` (PROTOCOLS §1.3).
    static func escapedName(_ package: String) -> String {
        guard let slash = package.firstIndex(of: "/") else { return package }
        return String(package[..<slash]) + "%2f" + String(package[package.index(after: slash)...])
    }

    /// The exchange request for `package` carrying `authorization` (nil: no bearer at all).
    static func exchangeRequest(package: String, authorization: String?) -> RecordedExchange.Request {
        var headers = ["accept": "application/json", "npm-command": "publish"]
        headers["authorization"] = authorization
        return RecordedExchange.Request(method: "POST", path: "/-/npm/v1/oidc/token/exchange/package/" + escapedName(package),
                                        headers: headers)
    }
}
