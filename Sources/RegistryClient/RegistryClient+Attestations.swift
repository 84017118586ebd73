import Foundation
import NpmModel

extension RegistryClient {
    /// Largest attestations response accepted (real ones are tens of kilobytes).
    public static let maxAttestationsBytes = 4 * 1024 * 1024

    /// `<registry>/-/npm/v1/attestations/<name>@<version>` for the registry that serves `name`.
    public func attestationsURL(for name: PackageName, version: String) -> String {
        configuration.registry(for: name) + "-/npm/v1/attestations/" + name.escapedForRegistry + "@" + version
    }

    /// The body of the attestations response for `name@version` (`{"attestations":[…]}`).
    /// Any non-success status is an error: the caller asks only when the version advertises attestations.
    public func attestations(_ name: PackageName, version: String) async throws -> (url: String, body: Data) {
        let url = attestationsURL(for: name, version: version)
        let response = try await get(url, accept: "application/json", package: "\(name.value)@\(version)", maxBytes: Self.maxAttestationsBytes)
        guard response.isSuccess else { throw statusError(response, package: "\(name.value)@\(version)", what: "attestations") }
        return (url, response.body)
    }
}
