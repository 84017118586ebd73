import NpmModel
import RegistryClient
import Synchronization

/// The signing keys of each registry, decided once per run and shared by every check of the run
/// (install's signature and provenance gates, verify-lockfile): pinned or embedded keys
/// (`RegistryKeyTrust`) where trust provides them, else the registry's `/-/npm/v1/keys`, fetched
/// once per registry however many packages ask at once. nil means the registry publishes no keys;
/// under `requireSignatures` that is an error.
public final class RegistryKeyStore: Sendable {
    private let client: RegistryClient
    private let trust: RegistryKeyTrust
    private let requireSignatures: Bool
    private let tasks = Mutex<[String: Task<[RegistryKey]?, any Error>]>([:])

    public init(client: RegistryClient, trust: RegistryKeyTrust, requireSignatures: Bool = false) {
        self.client = client
        self.trust = trust
        self.requireSignatures = requireSignatures
    }

    /// The keys of the registry serving `name`; a malformed document fails closed.
    public func keys(for name: PackageName) async throws -> [RegistryKey]? {
        let registry = client.configuration.registry(for: name)
        if let known = trust.keys(forRegistry: registry) { return known }
        let task = tasks.withLock { tasks in
            if let existing = tasks[registry] { return existing }
            let task = Task { [client] () throws -> [RegistryKey]? in
                guard let document = try await client.registryKeysDocument(for: name) else { return nil }
                do {
                    return try RegistryKey.parseRegistryKeys(document)
                } catch {
                    throw NpmVerifyError(.malformedKeys, "\(registry)-/npm/v1/keys is unusable: \(error)")
                }
            }
            tasks[registry] = task
            return task
        }
        let keys = try await task.value
        if requireSignatures, keys?.isEmpty ?? true {
            throw NpmVerifyError(.missingSignatureKey, "\(name.value): its registry \(registry) publishes no signing keys, and --require-signatures is set")
        }
        return keys
    }

    /// Where the keys of `name`'s registry come from, for reports.
    public func source(for name: PackageName) -> String {
        trust.source(forRegistry: client.configuration.registry(for: name))
    }
}
