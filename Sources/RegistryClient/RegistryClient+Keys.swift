import CurlTransport
import Foundation
import NpmModel

extension RegistryClient {
    /// The body of `GET <registry>/-/npm/v1/keys`, or nil when the registry publishes no keys
    /// (404 or 400, as npm reads it). Other failures are errors: fail closed.
    public func registryKeysDocument(for name: PackageName) async throws -> Data? {
        let url = configuration.registry(for: name) + "-/npm/v1/keys"
        let response = try await get(url, accept: "application/json", package: name.value, maxBytes: 1024 * 1024)
        if response.status == 404 || response.status == 400 { return nil }
        guard response.isSuccess else { throw statusError(response, package: name.value, what: "registry keys") }
        return response.body
    }

    /// The full packument (with `time`), fetched once per run; needed for publish times.
    public func fullPackument(_ name: PackageName) async throws -> Packument {
        try await fullPackuments.value(for: name.value) { [self] in
            let url = configuration.packumentURL(for: name)
            let response = try await get(url, accept: Packument.fullAccept, package: name.value, maxBytes: Self.maxPackumentBytes)
            guard response.isSuccess else { throw statusError(response, package: name.value, what: "packument") }
            do {
                return try Packument(data: response.body, requestedName: name.value)
            } catch {
                throw RegistryError(.malformed, package: name.value, url: url, "registry returned an unusable packument for \(name) from \(url): \(error)")
            }
        }
    }
}
