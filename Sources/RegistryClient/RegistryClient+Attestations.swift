import SafeJSON
public import CurlTransport
public import FoundationEssentials
public import NpmModel

/// The one attestations fetch, shared by install and audit: one size limit, one request shape.
/// Only the URL rule differs: install asks the registry that serves the package for
/// `name@version`; audit follows pacote (that registry plus the path of `dist.attestations.url`).
extension RegistryClient {
    /// Largest attestations response accepted (real ones are tens of kilobytes).
    public static let maxAttestationsBytes = 4 * 1024 * 1024

    /// `<registry>/-/npm/v1/attestations/<name>@<version>` for the registry that serves `name`.
    public func attestationsURL(for name: PackageName, version: String) -> String {
        configuration.registry(for: name) + "-/npm/v1/attestations/" + name.escapedForRegistry + "@" + version
    }

    /// The URL pacote requests: `registry` without trailing slashes plus the raw (still
    /// percent-encoded) path of `advertised` (`dist.attestations.url`), whose host is ignored.
    /// nil when `advertised` is not an absolute URL, or its path does not start with `/` (found by
    /// review: `http:@evil:1/…` has the path `@evil:1/…`, which after the registry's `host:port`
    /// turned it into user info and sent the request to `evil`; WHATWG's path, pacote's, starts with `/`).
    public static func attestationsURL(registry: String, advertised: String) -> String? {
        guard let components = URLComponents(string: advertised), components.scheme != nil,
              components.percentEncodedPath.hasBytePrefix("/") else { return nil }
        var base = registry
        while base.hasByteSuffix("/") { base = base.droppingByteSuffix("/") }
        return base + components.percentEncodedPath
    }

    /// The attestations response at `url`, whatever its status (the caller's policy decides);
    /// a transport failure throws `RegistryError(.network)`. `command` is npm's `npm-command` header.
    public func attestationsResponse(at url: String, package: String, command: String = "install") async throws -> HTTPResponse {
        try await get(url, accept: "application/json", package: package, maxBytes: Self.maxAttestationsBytes, command: command)
    }

    /// The body of the attestations response for `name@version` (`{"attestations":[…]}`).
    /// Any non-success status is an error: the caller asks only when the version advertises attestations.
    public func attestations(_ name: PackageName, version: String) async throws -> (url: String, body: Data) {
        let url = attestationsURL(for: name, version: version)
        let response = try await attestationsResponse(at: url, package: "\(name.value)@\(version)")
        guard response.isSuccess else { throw statusError(response, package: "\(name.value)@\(version)", what: "attestations") }
        return (url, response.body)
    }
}
