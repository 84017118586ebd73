import FixtureRegistry
import Foundation

/// The fixture registry started in this process on a free loopback port, seeded with the
/// repository's `Registry/packages` — what `verify-install` uses when no registry is configured.
public final class EmbeddedRegistry: Sendable {
    public let running: RunningRegistry
    public var registryURL: String { running.baseURL }
    private let storageDirectory: URL

    private init(running: RunningRegistry, storageDirectory: URL) {
        self.running = running
        self.storageDirectory = storageDirectory
    }

    /// Seeds a temporary storage from `seedDirectory` (default: `Registry/packages`) and serves it.
    public static func start(seedDirectory: URL? = nil, faults: FaultPlan? = nil) async throws -> EmbeddedRegistry {
        let storageDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-install-registry-\(UUID().uuidString.prefix(8))")
        let storage = try RegistryStorage(directory: storageDirectory)
        _ = try SeedLoader(directory: seedDirectory ?? SeedLoader.defaultDirectory).load(into: storage)
        let running = try await FixtureRegistryServer.start(storage: storage, faults: faults)
        return EmbeddedRegistry(running: running, storageDirectory: storageDirectory)
    }

    /// Stops the server and removes its temporary storage.
    public func stop() async {
        await running.stop()
        try? FileManager.default.removeItem(at: storageDirectory)
    }
}
