import CurlTransport
import Foundation
import RegistryClient
import SafeJSON

/// A man in the middle between the verifier and an honest fixture world: rewrites responses in
/// flight (the same device as InstallerTests' `TamperingTransport`).
struct TamperingTransport: HTTPTransport {
    let inner: CurlHTTPClient
    let rewrite: @Sendable (String, Int, Data) -> (Int, Data)

    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        let response = try await inner.send(request, digest: digest)
        let (status, body) = rewrite(response.url, response.status, response.body)
        guard status != response.status || body != response.body else { return response }
        return HTTPResponse(url: response.url, status: status, headers: response.headers, body: body,
                            bodyDigest: body == response.body ? response.bodyDigest : nil, attempts: response.attempts)
    }

    /// Edits `versions[version].dist` of a packument body.
    static func editDist(_ body: Data, version: String, _ edit: (inout [String: JSONValue]) -> Void) -> Data {
        guard case .object(var root)? = try? JSONValue.parse(body), case .object(var versions)? = root["versions"],
              case .object(var manifest)? = versions[version], case .object(var dist)? = manifest["dist"] else { return body }
        edit(&dist)
        manifest["dist"] = .object(dist)
        versions[version] = .object(manifest)
        root["versions"] = .object(versions)
        return (try? JSONValue.object(root).serialized()) ?? body
    }
}
