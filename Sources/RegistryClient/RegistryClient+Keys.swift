import CurlTransport
public import FoundationEssentials
public import NpmModel

extension RegistryClient {
    /// The body of `GET <registry>/-/npm/v1/keys`, or nil when the registry publishes no keys
    /// (404 or 400, as npm reads it). Other failures are errors: fail closed.
    public func registryKeysDocument(for name: PackageName) async throws -> Data? {
        let registry = configuration.registry(for: name), url = registry + "-/npm/v1/keys"
        // Named by registry, not by `name`: one fetch serves every package of the registry, and its
        // failure was reported under whichever package asked first (found by review).
        let subject = "the signing keys of \(registry)"
        let response = try await get(url, accept: "application/json", package: subject, maxBytes: 1024 * 1024)
        // Charged like packuments: a project routing many scopes to many registries must not add up unbounded.
        try spend(response.body.count, on: subject, url: url)
        if response.status == 404 || response.status == 400 { return nil }
        guard response.isSuccess else { throw statusError(response, package: subject, what: "registry keys") }
        return response.body
    }
}
