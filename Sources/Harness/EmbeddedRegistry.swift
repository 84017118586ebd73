import FixtureLayout
public import FixtureFaults
import FixtureRegistry
public import Foundation

/// The fixture world started in this process on free loopback ports, seeded from the
/// repository's `Registry/packages` through trusted publishing, for in-process tests
/// (`verify-install` runs the same world out of process, through `fixture-registry serve`).
public final class EmbeddedRegistry: Sendable {
    public let world: FixtureWorld
    public var registryURL: String { world.registryURL }
    /// The world's trusted root: attestations of the embedded registry chain to it.
    public var trustedRootFile: URL { world.trustedRootFile }
    /// The world's TUF repository over HTTP: `trusted_root.json` and `<host:port>/keys.json` are its targets.
    public var tufURL: String { world.running.tufURL }
    /// The root a TUF client of the world is anchored in.
    public var tufRoot: Data { world.running.tufRoot }
    /// The TUF target holding the registry's keys (`<host:port>/keys.json`).
    public var registryKeysTarget: String? { RegistryKeysTUFTarget.name(forRegistry: registryURL) }

    private init(world: FixtureWorld) { self.world = world }

    /// Starts a world in a temporary folder, seeded from `seedDirectory` (default: `Registry/packages`).
    public static func start(seedDirectory: URL? = nil, faults: FaultPlan? = nil) async throws -> EmbeddedRegistry {
        EmbeddedRegistry(world: try await FixtureWorld.start(seed: seedDirectory ?? FixturePaths.current.seed, faults: faults))
    }

    /// Stops every server and removes the temporary folder.
    public func stop() async { await world.stop() }
}
