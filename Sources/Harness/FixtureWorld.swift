public import FixtureLayout
public import FixtureFaults
public import FixtureRegistry
public import FixtureSigstore
public import FixtureTUF
public import Foundation
public import Publish

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
    /// and seeds it from `seed` (nil: no seeding); the other parameters are ``FixtureWorldOptions``'.
    public static func start(directory: URL? = nil, seed: URL? = FixturePaths.current.seed, seedExcluding: Set<String> = [],
                             seedBundleVersion: BundleAssembler.Version = .v03, seedRekorVersion: RekorVersion = .v1,
                             registryPort: Int = 0,
                             pathPrefix: String = "/", faults: FaultPlan? = nil, admin: Bool = false) async throws -> FixtureWorld {
        var options = FixtureWorldOptions(directory: directory, seed: seed)
        options.seedExcluding = seedExcluding
        options.seedBundleVersion = seedBundleVersion
        options.seedRekorVersion = seedRekorVersion
        options.registryPort = registryPort
        options.pathPrefix = pathPrefix
        options.faults = faults
        options.admin = admin
        return try await start(options)
    }

    /// Starts the world `options` describe: the Sigstore services and TUF mirror, then the registry, whose
    /// keys become a TUF target, then the seed, published through trusted publishing.
    public static func start(_ options: FixtureWorldOptions) async throws -> FixtureWorld {
        let folder = options.directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("mochi-fixture-world-\(UUID().uuidString.prefix(8))")
        let temporary = options.directory == nil
        if temporary { TemporaryFolders.register(folder) }
        let running: WorldServices
        do { running = try await WorldServices.start(in: folder) } catch {
            discardTemporary(folder, created: temporary)
            throw error
        }
        var world: FixtureWorld?
        do {
            let registry = try await startRegistry(options, in: folder, link: running.registryLink)
            world = FixtureWorld(directory: folder, running: running, registry: registry, removeOnStop: temporary)
            try running.publishRegistryKeys(registry.storage.keyring.publicKeys, registry: registry.baseURL)
            if let seed = options.seed {
                try await WorldSeeder(loader: SeedLoader(directory: seed), storage: registry.storage,
                                      publisher: WorldPublisher(registryURL: registry.baseURL, services: running.server,
                                                                 bundleVersion: options.seedBundleVersion,
                                                                 rekorVersion: options.seedRekorVersion),
                                      excluding: options.seedExcluding, scratchFolder: folder).seed()
            }
            return world!
        } catch {
            if let world { await world.stop() } else {
                await running.stop()
                discardTemporary(folder, created: temporary)
            }
            throw error
        }
    }

    /// Opens the registry's storage in `folder` and starts the registry on it.
    private static func startRegistry(_ options: FixtureWorldOptions, in folder: URL,
                                      link: RegistryWorldLink) async throws -> RunningRegistry {
        let paths = FixturePaths.current
        let storage = try RegistryStorage(directory: options.registryFolder.map { folder.appendingPathComponent($0) } ?? folder,
                                          config: try options.config ?? RegistryConfig.load(from: paths.config),
                                          signingKey: options.signingKey, world: link)
        let faults = options.faults ?? (options.admin ? FaultPlan() : nil)
        let control = faults.flatMap { options.admin ? AdminServer(faults: $0, scenarios: options.scenarios ?? paths.scenarios) : nil }
        return try await FixtureRegistryServer.start(storage: storage, host: options.host, port: options.registryPort,
                                                     pathPrefix: options.pathPrefix, faults: faults, control: control,
                                                     eventLoops: options.registryEventLoops, logger: options.logger)
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

    /// The environment the real npm CLI needs to trust this world offline (proxy, CA, cache with the TUF
    /// root and the world's targets).
    ///
    /// Why the targets: npm verifies its packages' attestations concurrently, and on an empty target
    /// cache each verification downloads `trusted_root.json`; tuf-js's `fs.copyFileSync` of one download
    /// can truncate the file under another's `fs.readFile` ("Unexpected end of JSON input"), which npm
    /// reports as an invalid attestation: a rare false verdict that is npm's race, not the world's. npm
    /// still fetches and checks timestamp, snapshot and targets through the proxy and checks the cached
    /// target against them.
    public func npmEnvironment(cache: URL) throws -> [String: String] {
        var environment = try tuf.npmEnvironment(cache: cache)
        try tuf.repository.seedNpmCache(at: cache, includeMetadata: false, includeTargets: true)
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
