import CurlTransport
import Foundation
import RegistryClient

/// Fetches `/-/npm/v1/attestations/<name>@<version>` the way pacote does: the configured registry
/// (no trailing slash) plus the **pathname** of `dist.attestations.url`; the URL's host is ignored.
public struct AttestationFetcher: Sendable {
    /// Largest attestations response accepted.
    public static let maxResponseBytes = 16 * 1024 * 1024

    let transport: any HTTPTransport
    let configuration: RegistryConfiguration

    public init(transport: any HTTPTransport, configuration: RegistryConfiguration) {
        self.transport = transport
        self.configuration = configuration
    }

    /// The URL pacote requests: `registry` without trailing slashes + the raw (still percent-encoded) path.
    public static func requestURL(registry: String, attestationsURL: String) -> String? {
        guard let components = URLComponents(string: attestationsURL), components.scheme != nil else { return nil }
        var base = registry
        while base.hasSuffix("/") { base.removeLast() }
        return base + components.percentEncodedPath
    }

    /// The response body; throws a `FetchFailure` with npm's code (`E404`, `E500`, ...) otherwise.
    public func fetch(_ target: AuditTarget, attestationsURL: String) async throws(FetchFailure) -> Data {
        guard let url = Self.requestURL(registry: target.registry, attestationsURL: attestationsURL) else {
            throw FetchFailure(code: "EINVALIDURL", message: "\(target.id) has an unusable dist.attestations.url: \(attestationsURL)")
        }
        var headers: [(name: String, value: String)] = [("Accept", "*/*"), ("npm-command", "audit")]
        if let token = configuration.token(for: url) { headers.append(("Authorization", "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(url: url, headers: headers, maxResponseBytes: Self.maxResponseBytes), digest: nil)
        } catch {
            throw FetchFailure(code: "ENETWORK", message: "could not fetch the attestations of \(target.id) from \(url): \(error)")
        }
        guard response.isSuccess else {
            throw FetchFailure(code: "E\(response.status)", message: "\(response.status) fetching the attestations of \(target.id) from \(url)")
        }
        return response.body
    }
}

/// A registry request that failed, with npm-registry-fetch's style of code.
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public var description: String { message }
}
