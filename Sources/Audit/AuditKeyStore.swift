import Foundation
import NpmModel
import NpmVerify
import RegistryClient
import Synchronization

/// The signing keys of each registry, fetched once per run from `/-/npm/v1/keys`
/// (npm's fallback when TUF has no `<host>/keys.json`; the same document). A registry
/// answering 404 or 400 has no keys, as npm reads it; any other failure is an error.
public final class AuditKeyStore: Sendable {
    private let client: RegistryClient
    /// Keys given up front for a registry base URL (e.g. `--keys FILE`), used instead of fetching.
    private let preset: [String: [RegistryKey]]
    private let tasks = Mutex<[String: Task<[RegistryKey]?, any Error>]>([:])

    public init(client: RegistryClient, preset: [String: [RegistryKey]] = [:]) {
        self.client = client
        self.preset = preset
    }

    /// The keys of `target`'s registry; nil when it publishes none.
    public func keys(for target: AuditTarget) async throws(FetchFailure) -> [RegistryKey]? {
        if let keys = preset[target.registry] { return keys }
        // registry.npmjs.org's keys come from trust (npm reads them from TUF), never from whoever answers for it.
        if NpmRegistryKeys.isPublicRegistry(target.registry) { return NpmRegistryKeys.keys }
        let client = self.client
        let task = tasks.withLock { tasks in
            if let existing = tasks[target.registry] { return existing }
            let task = Task { () throws -> [RegistryKey]? in
                guard let document = try await client.registryKeysDocument(for: try PackageName(target.name)) else { return nil }
                return try RegistryKey.parseKeysDocument(document)
            }
            tasks[target.registry] = task
            return task
        }
        do {
            return try await task.value
        } catch let error as NpmVerifyError {
            throw FetchFailure(code: "EREGISTRYKEYS", message: "\(target.registry)-/npm/v1/keys is unusable: \(error)")
        } catch {
            throw FetchFailure(code: "EREGISTRYKEYS", message: "could not read the signing keys of \(target.registry): \(error)")
        }
    }
}
