import FixtureRegistry
import FixtureSigstore
import Foundation
import Publish

/// The whole fixture world in this process, on loopback ports: the Sigstore services (OIDC
/// issuer, Fulcio + CT log, Rekor), the TUF mirror of `tuf-repo-cdn.sigstore.dev` behind a
/// TLS-terminating CONNECT proxy, and the npm registry that trusts the issuer and logs into
/// Rekor — seeded by publishing the seed packages through trusted publishing.
///
/// The embedded default of `verify-install`, `mochi-pkg publish --fixture`, the gate, the scenario
/// suites and the matrix start it through here; `fixture-registry serve` shares its `WorldServices`.
public final class FixtureWorld: Sendable {
    /// Where everything is stored (`registry/`, `world/`, `tuf/`, `trusted_root.json`).
    public let directory: URL
    /// The Sigstore services, the TUF mirror and the trusted root file.
    public let running: WorldServices
    public let registry: RunningRegistry
    private let removeOnStop: Bool

    public var sigstore: SigstoreWorld { running.sigstore }
    public var services: WorldServer { running.server }
    public var tuf: TUFMirrorFixture { running.tuf }
    public var proxyPort: Int { running.proxyPort }
    /// The world's `trusted_root.json`, for `--trusted-root`.
    public var trustedRootFile: URL { running.trustedRootFile }

    private init(directory: URL, running: WorldServices, registry: RunningRegistry, removeOnStop: Bool) {
        self.directory = directory
        self.running = running
        self.registry = registry
        self.removeOnStop = removeOnStop
    }

    /// The registry's base URL (`http://127.0.0.1:<port>/`).
    public var registryURL: String { registry.baseURL }

    /// Starts the world stored in `directory` (a new temporary folder, removed by ``stop()``, when nil)
    /// and seeds it from `seed` (nil: no seeding), leaving out the packages named in `seedExcluding`;
    /// the seed's attestations are `seedBundleVersion` bundles (npm 11's v0.3 `dsse`, or npm 10's v0.2 `intoto`),
    /// logged in the Rekor of `seedRekorVersion` (v2: `hashedrekord` 0.0.2 with an RFC 3161 timestamp, v0.3 only).
    public static func start(directory: URL? = nil, seed: URL? = SeedLoader.defaultDirectory, seedExcluding: Set<String> = [],
                             seedBundleVersion: BundleAssembler.Version = .v03, seedRekorVersion: RekorVersion = .v1,
                             registryPort: Int = 0,
                             pathPrefix: String = "/", faults: FaultPlan? = nil, admin: Bool = false) async throws -> FixtureWorld {
        let folder = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("mochi-fixture-world-\(UUID().uuidString.prefix(8))")
        if directory == nil { TemporaryFolders.register(folder) }
        let running: WorldServices
        do { running = try await WorldServices.start(in: folder) } catch {
            discardTemporary(folder, created: directory == nil)
            throw error
        }
        var world: FixtureWorld?
        do {
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("registry"), world: running.registryLink)
            let registry = try await FixtureRegistryServer.start(storage: storage, port: registryPort, pathPrefix: pathPrefix,
                                                                 faults: faults, admin: admin)
            world = FixtureWorld(directory: folder, running: running, registry: registry, removeOnStop: directory == nil)
            try running.publishRegistryKeys(storage.keyring.publicKeys, registry: registry.baseURL)
            if let seed {
                try await WorldSeeder(loader: SeedLoader(directory: seed), storage: storage,
                                      publisher: WorldPublisher(registryURL: registry.baseURL, services: running.server,
                                                                 bundleVersion: seedBundleVersion, rekorVersion: seedRekorVersion),
                                      excluding: seedExcluding).seed()
            }
            return world!
        } catch {
            if let world { await world.stop() } else {
                await running.stop()
                discardTemporary(folder, created: directory == nil)
            }
            throw error
        }
    }

    /// Removes a temporary world folder that failed to start.
    private static func discardTemporary(_ folder: URL, created: Bool) {
        guard created else { return }
        try? FileManager.default.removeItem(at: folder)
        TemporaryFolders.unregister(folder)
    }

    /// A publisher playing the emitted workflow's job against this world.
    public func publisher(bundleVersion: BundleAssembler.Version = .v03, rekorVersion: RekorVersion = .v1) -> WorldPublisher {
        WorldPublisher(registryURL: registryURL, services: services, bundleVersion: bundleVersion, rekorVersion: rekorVersion)
    }

    /// The environment the real npm CLI needs to trust this world offline (proxy, CA, cache with the TUF root).
    public func npmEnvironment(cache: URL) throws -> [String: String] {
        var environment = try tuf.npmEnvironment(cache: cache)
        environment["npm_config_registry"] = registryURL
        environment["npm_config_update_notifier"] = "false"
        environment["npm_config_audit"] = "false"
        environment["npm_config_fund"] = "false"
        return environment
    }

    /// Stops every server (and removes a temporary folder).
    public func stop() async {
        await registry.stop()
        await running.stop()
        if removeOnStop {
            try? FileManager.default.removeItem(at: directory)
            TemporaryFolders.unregister(directory)
        }
    }
}
