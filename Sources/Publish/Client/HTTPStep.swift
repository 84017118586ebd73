import CurlTransport
import Foundation
import SafeJSON
import CodedError

/// Sends one request of the publish flow and turns every failure into a `PublishError` that
/// names the step, the method and URL, and the status and body that came back.
struct HTTPStep: Sendable {
    let http: CurlHTTPClient

    /// Sends and returns the body of a response whose status is in `accepted`.
    func send(_ code: PublishError.Code, _ step: String, method: String, url: String,
              headers: [(name: String, value: String)], body: Data? = nil,
              accepted: ClosedRange<Int> = 200...299) async throws(PublishError) -> Data {
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, method: method, headers: headers, body: body,
                                                       maxResponseBytes: 16 * 1024 * 1024))
        } catch {
            throw PublishError(.transport, "\(step): \(method) \(url) got no response: \(error)")
        }
        guard accepted.contains(response.status) else {
            throw PublishError(code, "\(step): \(method) \(url) answered \(response.status)\(Self.message(in: response.body)), expected \(Self.describe(accepted))")
        }
        return response.body
    }

    /// `: "<message>"` from a JSON error body (npm and sigstore services put it in `message`
    /// or `error`), else the start of the body.
    static func message(in body: Data) -> String {
        if let object = (try? JSONValue.parse(body))?.objectValue,
           let text = object["message"]?.stringValue ?? object["error"]?.stringValue {
            return ": \"\(text)\""
        }
        return body.isEmpty ? " with an empty body" : " with body \(Snippet.of(body))"
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range == 200...299 ? "2xx" : range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }
}
