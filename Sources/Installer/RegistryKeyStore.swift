import NpmModel
import NpmVerify
import RegistryClient
import Synchronization

/// The signing keys of each registry (`/-/npm/v1/keys`), fetched once per run and shared by the
/// signature and provenance gates. nil means the registry publishes no keys.
final class RegistryKeyStore: Sendable {
    private let client: RegistryClient
    private let tasks = Mutex<[String: Task<[RegistryKey]?, any Error>]>([:])

    init(client: RegistryClient) {
        self.client = client
    }

    /// The keys of the registry serving `name`; a malformed document fails closed.
    func keys(for name: PackageName) async throws -> [RegistryKey]? {
        let registry = client.configuration.registry(for: name)
        let task = tasks.withLock { tasks in
            if let existing = tasks[registry] { return existing }
            let task = Task { [client] () throws -> [RegistryKey]? in
                guard let document = try await client.registryKeysDocument(for: name) else { return nil }
                do {
                    return try RegistryKey.parseRegistryKeys(document)
                } catch {
                    throw InstallError(.verification, "\(registry)-/npm/v1/keys is unusable: \(error)")
                }
            }
            tasks[registry] = task
            return task
        }
        return try await task.value
    }
}
