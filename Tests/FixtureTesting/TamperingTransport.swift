public import CurlTransport
public import Foundation
public import RegistryClient
public import SafeJSON

/// A man in the middle between the installer and an honest fixture registry: rewrites
/// responses in flight, so tests can prove the consumer catches what the registry never sent.
public struct TamperingTransport: HTTPTransport {
    public let inner: CurlHTTPClient
    /// Gets each response (URL, status, body) and returns the status and body to deliver.
    public let rewrite: @Sendable (String, Int, Data) -> (Int, Data)

    public init(inner: CurlHTTPClient, rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data)) {
        self.inner = inner
        self.rewrite = rewrite
    }

    /// A body that streamed to a file (tarballs) is rewritten in that file, where the client reads it.
    public func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        let response = try await inner.send(request, digest: digest)
        let original = try response.bodyFile.map { try Data(contentsOf: $0) } ?? response.body
        let (status, body) = rewrite(response.url, response.status, original)
        guard status != response.status || body != original else { return response }
        if let file = response.bodyFile {
            try body.write(to: file)
            var rewritten = HTTPResponse(url: response.url, status: status, headers: response.headers, body: Data(),
                                         bodyDigest: nil, attempts: response.attempts)
            rewritten.bodyFile = file
            return rewritten
        }
        return HTTPResponse(url: response.url, status: status, headers: response.headers, body: body,
                            bodyDigest: nil, attempts: response.attempts)
    }

    /// Edits `versions[version].dist` of a packument body.
    public static func editDist(_ body: Data, version: String, _ edit: (inout [String: JSONValue]) -> Void) -> Data {
        editManifest(body, version: version) { manifest in
            guard case .object(var dist)? = manifest["dist"] else { return }
            edit(&dist)
            manifest["dist"] = .object(dist)
        }
    }

    /// A packument body with `versions[version]` edited (unchanged when it has no such version).
    public static func editManifest(_ body: Data, version: String, _ edit: (inout [String: JSONValue]) -> Void) -> Data {
        guard case .object(var root)? = try? JSONValue.parse(body), case .object(var versions)? = root["versions"],
              case .object(var manifest)? = versions[version] else { return body }
        edit(&manifest)
        versions[version] = .object(manifest)
        root["versions"] = .object(versions)
        return (try? JSONValue.object(root).serialized()) ?? body
    }
}
