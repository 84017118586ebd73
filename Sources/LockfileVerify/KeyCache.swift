import NpmModel
import NpmVerify
import RegistryClient
import Synchronization

/// Each registry's signing keys, decided once per run: trust (`RegistryKeyTrust`) where it knows
/// them, else the registry's `/-/npm/v1/keys`. nil: the registry publishes none.
final class KeyCache: Sendable {
    private let client: RegistryClient
    private let trust: RegistryKeyTrust
    private let tasks = Mutex<[String: Task<[RegistryKey]?, any Error>]>([:])

    init(client: RegistryClient, trust: RegistryKeyTrust) {
        self.client = client
        self.trust = trust
    }

    func keys(for name: PackageName) async throws -> [RegistryKey]? {
        let registry = client.configuration.registry(for: name)
        if let known = trust.keys(forRegistry: registry) { return known }
        let task = tasks.withLock { tasks in
            if let existing = tasks[registry] { return existing }
            let task = Task { [client] () throws -> [RegistryKey]? in
                guard let document = try await client.registryKeysDocument(for: name) else { return nil }
                return try RegistryKey.parseRegistryKeys(document)
            }
            tasks[registry] = task
            return task
        }
        return try await task.value
    }

    /// Where the keys of `name`'s registry come from, for reports.
    func source(for name: PackageName) -> String {
        trust.source(forRegistry: client.configuration.registry(for: name))
    }
}
