import CurlTransport
public import FoundationEssentials
public import NpmModel

extension RegistryClient {
    /// The body of `GET <registry>/-/npm/v1/keys`, or nil when the registry publishes no keys
    /// (404 or 400, as npm reads it). Other failures are errors: fail closed.
    public func registryKeysDocument(for name: PackageName) async throws -> Data? {
        let url = configuration.registry(for: name) + "-/npm/v1/keys"
        let response = try await get(url, accept: "application/json", package: name.value, maxBytes: 1024 * 1024)
        // Charged like packuments: a project routing many scopes to many registries must not add up unbounded.
        try spend(response.body.count, on: name.value, url: url)
        if response.status == 404 || response.status == 400 { return nil }
        guard response.isSuccess else { throw statusError(response, package: name.value, what: "registry keys") }
        return response.body
    }
}
