import ArgumentParser
import FixtureRegistry
import FixtureSigstore
import Foundation
import Harness
import Logging
import Publish

/// `fixture-registry serve`: load seeds, listen, print the address, run until SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry until interrupted (SIGINT or SIGTERM).",
        discussion: """
            Starts the whole fixture world on loopback: the registry, the GitHub-Actions-like OIDC \
            issuer, the Fulcio CA with its CT log, the Rekor log, and the TUF mirror of \
            tuf-repo-cdn.sigstore.dev behind a TLS-terminating CONNECT proxy. Seed packages with a \
            trusted publisher (Registry/config.json) are published through trusted publishing with \
            provenance, as the emitted workflow would. Prints one JSON line on stdout once \
            everything listens, then logs to stderr:

              {"registry":"http://127.0.0.1:PORT/","storage":"/path","trustedRoot":"/path/trusted_root.json",
               "oidcIssuer":…,"tokenRequestURL":…,"fulcio":…,"rekor":…,"proxy":…,"envFile":"/path/world.env",
               "env":{"https_proxy":…,"no_proxy":…,"NODE_EXTRA_CA_CERTS":…,"npm_config_cache":…,…}}

            `. /path/world.env` (or the "env" object) gives the real npm CLI what it needs to install \
            from the world and run `npm audit signatures` offline against the world's trust. \
            `. /path/job.env` gives a publish job's GitHub Actions environment (GITHUB_*, \
            ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN) for `mochi-pkg publish --fixture --registry … --fulcio … --rekor …`.

            With --admin or --scenario NAME (fixture mode), a control port on 127.0.0.1 is added \
            to that line as "admin": POST /scenario/NAME and DELETE /scenario switch fault scenarios \
            (Registry/scenarios/*.json) while the registry runs, GET /requests returns the request \
            log (method, path, status, bytes, ms), POST /rotate-key rotates the signing key.

            The storage folder keeps packuments and tarballs between runs; seeds whose \
            versions are already stored are skipped. Scoped packuments answer at both \
            /@scope%2fname and /@scope/name; Accept: application/vnd.npm.install-v1+json \
            selects the abbreviated form.

            Writes (npm publish, dist-tag, deprecate, unpublish) need a bearer token: mint one with \
            `fixture-registry token --storage DIR --user NAME`, or log in as a user of the access \
            config with `npm login --auth-type=legacy`. Signing keys live in DIR/keys (generated on \
            first start; `fixture-registry rotate-key` rotates them) and are served at /-/npm/v1/keys.
            """
    )

    @Option(help: "Interface to bind. Keep the default to stay on loopback.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free port (printed on stdout).")
    var port = 0

    @Option(help: ArgumentHelp("Folder for packuments and tarballs, kept after exit (default: a temporary folder, removed on exit).",
                               valueName: "dir"))
    var storage: String?

    @Option(help: ArgumentHelp(
        "Seed packages to load at start (default: $MOCHI_REGISTRY_SEED, else the repository's Registry/packages).",
        valueName: "dir"))
    var seed: String?

    @Option(help: ArgumentHelp(
        "Access config: users, publish rights, fixed tokens (default: $MOCHI_REGISTRY_CONFIG, else Registry/config.json; test-only).",
        valueName: "file"))
    var config: String?

    @Flag(help: "Start with an empty registry: load no seed packages.")
    var noSeed = false

    @Option(name: .customLong("without"), help: ArgumentHelp(
        "Leave this seed package out (repeatable), e.g. to publish it yourself with `mochi-pkg publish --fixture`.", valueName: "name"))
    var withoutPackages: [String] = []

    @Option(help: ArgumentHelp("Tag of the GitHub Actions job whose environment goes to <storage>/job.env.", valueName: "tag"))
    var jobTag = "v1.1.0"

    @Option(help: ArgumentHelp("Path prefix to serve under, e.g. /npm/ for http://127.0.0.1:PORT/npm/.", valueName: "path"))
    var prefix = "/"

    @Option(help: ArgumentHelp("Log level on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    @Flag(help: "Open the control port (127.0.0.1, printed as \"admin\"): scenarios, request log, key rotation.")
    var admin = false

    @Option(help: ArgumentHelp("Start with this fault scenario active (fixture mode; implies --admin).", valueName: "name"))
    var scenario: String?

    @Option(help: ArgumentHelp("Folder of fault scenarios (default: $MOCHI_REGISTRY_SCENARIOS, else Registry/scenarios).",
                               valueName: "dir"))
    var scenarios: String?

    @Flag(help: "Seed a new storage's keyring with the TEST-ONLY key in Registry/keys (stable key id; never for real use).")
    var testKey = false

    @Option(help: ArgumentHelp(
        "Rekor the seed provenance is logged in: v1 (dsse with a SET, as npm) or v2 (hashedrekord 0.0.2 + RFC 3161 timestamp, as public-good's newest clients).",
        valueName: "v1|v2"))
    var rekor = "v1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a log level") }
        guard RekorVersion(rawValue: rekor) != nil else { throw ValidationError("--rekor must be v1 or v2, got '\(rekor)'") }
        do { _ = try RegistryRoute.normalize(prefix: prefix) } catch { throw ValidationError("--prefix: \(error)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fixture-registry")
        do {
            let access = try RegistryConfig.load(from: config.map { URL(fileURLWithPath: $0) } ?? RegistryConfig.defaultFile)
            let folder = storage.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("fixture-registry-\(UUID().uuidString)")
            let key = try testKey ? TestRegistryKey.load() : nil
            let running = try await WorldServices.start(in: folder)
            let store = try RegistryStorage(directory: folder, config: access, signingKey: key, world: running.registryLink)
            let services = running.server, tuf = running.tuf, proxyPort = running.proxyPort, trustedRoot = running.trustedRootFile
            let npmEnvironment = try tuf.npmEnvironment(cache: folder.appendingPathComponent("npm-cache"))
            if testKey, try store.keyring.publicKeys.first?.keyid != TestRegistryKey.keyID() {
                logger.warning("--test-key ignored: \(folder.path) already has its own keyring")
            }
            if !noSeed {
                let loader = SeedLoader(directory: seed.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? SeedLoader.defaultDirectory)
                // Trusted publishing goes over HTTP: seed through a short-lived registry on the same storage.
                let seeding = try await FixtureRegistryServer.start(storage: store, pathPrefix: prefix)
                do {
                    try await WorldSeeder(loader: loader, storage: store,
                                          publisher: WorldPublisher(registryURL: seeding.baseURL, services: services,
                                                                    rekorVersion: RekorVersion(rawValue: rekor) ?? .v1),
                                          excluding: Set(withoutPackages)).seed()
                } catch {
                    await seeding.stop()
                    throw error
                }
                await seeding.stop()
                for package in try loader.packages() {
                    logger.info("seeded \(package.name): \(package.package.versions.joined(separator: ", "))")
                }
            }
            let scenarioFolder = scenarios.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FaultScenario.defaultDirectory
            let control = admin || scenario != nil
            let faults = control ? FaultPlan() : nil
            if let scenario, let faults {
                let loaded = try FaultScenario.load(named: scenario, from: scenarioFolder)
                faults.activate(loaded)
                logger.notice("fault scenario \(scenario) active: \(loaded.description)")
            }
            let storagePath = store.directory.path
            let jobFile = folder.appendingPathComponent("job.env")
            let job = WorldPublisher.job(forVersion: String(jobTag.drop { $0 == "v" }))
            let jobEnvironment = try await WorldPublisher(registryURL: "", services: services).environment(of: job)
            try NpmTUFEnvironment.shellExports(jobEnvironment).write(to: jobFile, atomically: true, encoding: .utf8)
            try await FixtureRegistryServer.runUntilSignalled(
                storage: store,
                configuration: RegistryServerConfiguration(host: host, port: port, pathPrefix: prefix),
                faults: faults,
                requestLog: control ? RequestLog() : nil,
                scenarios: scenarioFolder,
                logger: logger,
                onRunning: { registry, admin in
                    var environment = npmEnvironment
                    environment["npm_config_registry"] = registry
                    environment["npm_config_update_notifier"] = "false"
                    let envFile = URL(fileURLWithPath: storagePath).appendingPathComponent("world.env")
                    try? NpmTUFEnvironment.shellExports(environment).write(to: envFile, atomically: true, encoding: .utf8)
                    Self.announce(registry: registry, admin: admin, storage: storagePath, world: [
                        "trustedRoot": trustedRoot.path, "oidcIssuer": SigstoreWorld.githubIssuer,
                        "oidcIssuerURL": services.issuerURL, "tokenRequestURL": services.tokenRequestURL,
                        "fulcio": services.fulcioURL, "rekor": services.rekorURL, "proxy": "http://127.0.0.1:\(proxyPort)",
                        "rekorV2": services.rekorV2URL, "timestampAuthority": services.timestampAuthorityURL, "rekorVersion": rekor,
                        "caCertificate": tuf.caCertificateFile.path, "envFile": envFile.path, "jobEnvFile": jobFile.path,
                    ], environment: environment)
                }
            )
            await running.stop()
            if storage == nil { try? FileManager.default.removeItem(at: store.directory) }
        } catch let error as RegistryError {
            logger.critical("\(error)")
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            logger.critical("fixture world: \(error)")
            throw ExitCode.failure
        }
    }

    /// The one line on stdout that tells a parent process where the registry (and its control port) is.
    static func announce(registry: String, admin: String?, storage: String, world: [String: String] = [:],
                         environment: [String: String] = [:]) {
        var line: [String: Any] = world.merging(["registry": registry, "storage": storage]) { _, new in new }
        if let admin { line["admin"] = admin }
        if !environment.isEmpty { line["env"] = environment }
        let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
