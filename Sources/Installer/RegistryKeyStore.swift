import NpmModel
import NpmVerify
import RegistryClient
import Synchronization

/// The signing keys of each registry, decided once per run and shared by the signature and
/// provenance gates: pinned or embedded keys (`RegistryKeyTrust`) where trust provides them,
/// else the registry's `/-/npm/v1/keys`. nil means the registry publishes no keys; under
/// `requireSignatures` that is an error.
final class RegistryKeyStore: Sendable {
    private let client: RegistryClient
    private let trust: RegistryKeyTrust
    private let requireSignatures: Bool
    private let tasks = Mutex<[String: Task<[RegistryKey]?, any Error>]>([:])

    init(client: RegistryClient, trust: RegistryKeyTrust, requireSignatures: Bool) {
        self.client = client
        self.trust = trust
        self.requireSignatures = requireSignatures
    }

    /// The keys of the registry serving `name`; a malformed document fails closed.
    func keys(for name: PackageName) async throws -> [RegistryKey]? {
        let registry = client.configuration.registry(for: name)
        if let known = trust.keys(forRegistry: registry) { return known }
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
        let keys = try await task.value
        if requireSignatures, keys?.isEmpty ?? true {
            throw InstallError(.verification, "\(name.value): its registry \(registry) publishes no signing keys, and --require-signatures is set")
        }
        return keys
    }
}
