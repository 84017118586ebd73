import FixtureRegistry
import FixtureSigstore
import Publish
import Foundation

/// The whole fixture world in this process, on loopback ports: the Sigstore services (OIDC
/// issuer, Fulcio + CT log, Rekor), the TUF mirror of `tuf-repo-cdn.sigstore.dev` behind a
/// TLS-terminating CONNECT proxy, and the npm registry that trusts the issuer and logs into
/// Rekor — seeded by publishing the seed packages through trusted publishing.
///
/// `fixture-registry serve`, the embedded default of `verify-install`, `make demo` and the
/// gate all start it through here.
public final class FixtureWorld: Sendable {
    /// Where everything is stored (`registry/`, `world/`, `tuf/`, `trusted_root.json`).
    public let directory: URL
    public let sigstore: SigstoreWorld
    public let services: WorldServer
    public let tuf: TUFMirrorFixture
    public let proxyPort: Int
    public let registry: RunningRegistry
    /// The world's `trusted_root.json`, for `--trusted-root`.
    public let trustedRootFile: URL
    private let removeOnStop: Bool

    private init(directory: URL, sigstore: SigstoreWorld, services: WorldServer, tuf: TUFMirrorFixture, proxyPort: Int,
                 registry: RunningRegistry, trustedRootFile: URL, removeOnStop: Bool) {
        self.directory = directory
        self.sigstore = sigstore
        self.services = services
        self.tuf = tuf
        self.proxyPort = proxyPort
        self.registry = registry
        self.trustedRootFile = trustedRootFile
        self.removeOnStop = removeOnStop
    }

    /// The registry's base URL (`http://127.0.0.1:<port>/`).
    public var registryURL: String { registry.baseURL }

    /// Starts the world stored in `directory` (a new temporary folder, removed by ``stop()``, when nil)
    /// and seeds it from `seed` (nil: no seeding), leaving out the packages named in `seedExcluding`;
    /// the seed's attestations are `seedBundleVersion` bundles (npm 11's v0.3 `dsse`, or npm 10's v0.2 `intoto`).
    public static func start(directory: URL? = nil, seed: URL? = SeedLoader.defaultDirectory, seedExcluding: Set<String> = [],
                             seedBundleVersion: BundleAssembler.Version = .v03, registryPort: Int = 0,
                             pathPrefix: String = "/", faults: FaultPlan? = nil, admin: Bool = false) async throws -> FixtureWorld {
        let folder = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("mochi-fixture-world-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sigstore = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
        let services = try await WorldServer.start(sigstore)
        do {
            let rootData = try sigstore.trustedRootData()
            let trustedRootFile = folder.appendingPathComponent("trusted_root.json")
            try rootData.write(to: trustedRootFile, options: .atomic)
            let tuf = try TUFMirrorFixture(directory: folder.appendingPathComponent("tuf"),
                                           targetFiles: ["trusted_root.json": rootData], now: Date())
            let proxyPort = try await tuf.start()
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("registry"),
                                              world: RegistryWorldLink(world: sigstore))
            let registry = try await FixtureRegistryServer.start(storage: storage, port: registryPort, pathPrefix: pathPrefix,
                                                                 faults: faults, admin: admin)
            let world = FixtureWorld(directory: folder, sigstore: sigstore, services: services, tuf: tuf, proxyPort: proxyPort,
                                     registry: registry, trustedRootFile: trustedRootFile, removeOnStop: directory == nil)
            if let seed {
                do {
                    try await WorldSeeder(loader: SeedLoader(directory: seed), storage: storage,
                                          publisher: WorldPublisher(registryURL: registry.baseURL, services: services,
                                                                     bundleVersion: seedBundleVersion),
                                          excluding: seedExcluding).seed()
                } catch {
                    await world.stop()
                    throw error
                }
            }
            return world
        } catch {
            await services.stop()
            throw error
        }
    }

    /// A publisher playing the emitted workflow's job against this world.
    public func publisher(bundleVersion: BundleAssembler.Version = .v03) -> WorldPublisher {
        WorldPublisher(registryURL: registryURL, services: services, bundleVersion: bundleVersion)
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
        try? await tuf.stop()
        await services.stop()
        if removeOnStop { try? FileManager.default.removeItem(at: directory) }
    }
}
