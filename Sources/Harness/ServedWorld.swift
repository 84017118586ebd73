public import FixtureFaults
import FixtureRegistry
import FixtureSigstore
import FixtureTUF
import Foundation
import Publish
public import Logging
import UnixSignals
import Crypto

/// `fixture-registry serve`: a ``FixtureWorld`` kept in the foreground until SIGINT or SIGTERM, with the
/// files a shell needs beside its storage (`world.env` for the real npm CLI, `job.env` for a publish job).
public enum ServedWorld {
    /// Where everything listens and what a client needs, announced once the world is up.
    public struct Announcement: Sendable {
        /// The registry's base URL, and the control port's when there is one.
        public let registry: String
        public let admin: String?
        /// The registry's storage folder.
        public let storage: String
        /// The world's services and files (`trustedRoot`, `fulcio`, `rekor`, `proxy`, `envFile`, …; `tuf`: the
        /// world's TUF repository over HTTP, `tufRoot`: a file holding its root.json, `registryKeysTarget`:
        /// the TUF target with the registry's keys).
        public let world: [String: String]
        /// What `world.env` exports: the npm CLI's environment for this world.
        public let environment: [String: String]
    }

    /// Starts the world, arms `scenario` once it is seeded (the request log then starts empty), writes
    /// `job.env` (the job of tag `jobTag`) and `world.env`, calls `onRunning`, then waits for SIGINT or
    /// SIGTERM and stops it; a temporary world's folder is removed on the way out.
    public static func run(_ options: FixtureWorldOptions, scenario: FaultScenario?, jobTag: String, logger: Logger,
                           onRunning: @Sendable (Announcement) -> Void) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let world = try await FixtureWorld.start(options)
        do {
            try log(world, options, logger: logger)
            world.registry.requestLog?.clear()
            if let scenario, let faults = options.faults {
                faults.activate(scenario)
                logger.notice("fault scenario \(scenario.name) active: \(scenario.description)")
            }
            onRunning(try await announcement(of: world, jobTag: jobTag, rekorVersion: options.seedRekorVersion))
            for await signal in signals {
                logger.notice("\(signal): shutting down")
                break
            }
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
        // `TemporaryFolders`' handler may be removing the same folder on the same signal: until it stays gone.
        for _ in 0..<5 where options.directory == nil && FileManager.default.fileExists(atPath: world.directory.path) {
            TemporaryFolders.removeTree(world.directory.path)
        }
    }

    /// Logs what was seeded, the active scenario, and a signing key an existing keyring ignored.
    private static func log(_ world: FixtureWorld, _ options: FixtureWorldOptions, logger: Logger) throws {
        let storage = world.registry.storage
        if let key = options.signingKey, storage.keyring.publicKeys.first?.keyid != RegistryKeyring.keyID(of: key.publicKey) {
            logger.warning("--test-key ignored: \(storage.directory.path) already has its own keyring")
        }
        if let seed = options.seed {
            for package in try SeedLoader(directory: seed).packages() where !options.seedExcluding.contains(package.name.description) {
                logger.info("seeded \(package.name): \(package.package.versions.joined(separator: ", "))")
            }
        }
    }

    /// Writes `job.env` and `world.env` into the registry's storage and says where everything is.
    static func announcement(of world: FixtureWorld, jobTag: String, rekorVersion: RekorVersion) async throws -> Announcement {
        let folder = world.registry.storage.directory
        let services = world.services
        let jobFile = folder.appendingPathComponent("job.env")
        let job = WorldPublisher.job(forVersion: String(jobTag.drop { $0 == "v" }))
        let jobEnvironment = try await WorldPublisher(registryURL: "", services: services).environment(of: job)
        try NpmTUFEnvironment.shellExports(jobEnvironment).write(to: jobFile, atomically: true, encoding: .utf8)
        let environment = try world.npmEnvironment(cache: folder.appendingPathComponent("npm-cache"))
        let envFile = folder.appendingPathComponent("world.env")
        try? NpmTUFEnvironment.shellExports(environment).write(to: envFile, atomically: true, encoding: .utf8)
        let tufRootFile = folder.appendingPathComponent("tuf-root.json")
        try world.running.tufRoot.write(to: tufRootFile, options: .atomic)
        let keysTarget = RegistryKeysTUFTarget.name(forRegistry: world.registryURL).map { ["registryKeysTarget": $0] } ?? [:]
        return Announcement(registry: world.registryURL, admin: world.registry.adminURL, storage: folder.path, world: [
            "trustedRoot": world.trustedRootFile.path, "oidcIssuer": SigstoreWorld.githubIssuer,
            "oidcIssuerURL": services.issuerURL, "tokenRequestURL": services.tokenRequestURL,
            "fulcio": services.fulcioURL, "rekor": services.rekorURL, "proxy": "http://127.0.0.1:\(world.proxyPort)",
            "rekorV2": services.rekorV2URL, "timestampAuthority": services.timestampAuthorityURL,
            "rekorVersion": rekorVersion.rawValue, "caCertificate": world.tuf.caCertificateFile.path,
            "envFile": envFile.path, "jobEnvFile": jobFile.path,
            "tuf": world.running.tufURL, "tufRoot": tufRootFile.path,
        ].merging(keysTarget) { old, _ in old }, environment: environment)
    }
}
