import ArgumentParser
import FixtureLayout
import FixtureFaults
import FixtureRegistry
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
               "tuf":"http://127.0.0.1:PORT/","tufRoot":"/path/tuf-root.json","registryKeysTarget":"127.0.0.1:PORT/keys.json",
               "env":{"https_proxy":…,"no_proxy":…,"NODE_EXTRA_CA_CERTS":…,"npm_config_cache":…,…}}

            "tuf" is the world's TUF repository (targets trusted_root.json and "registryKeysTarget", the registry's keys), "tufRoot" a file holding the root.json a TUF client starts from.

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

            --exit-with-parent (what verify-install uses when it starts the world for itself): the world gets SIGTERM when its parent process dies, and does not start if the parent (--parent-pid, else the parent at start) is already gone.
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

    @Flag(help: "Stop (SIGTERM) when the parent process dies, and exit at once if it is already gone.")
    var exitWithParent = false

    @Option(help: ArgumentHelp("With --exit-with-parent: the parent's process id (default: the parent at start).", valueName: "pid"))
    var parentPid: Int32?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a log level") }
        guard RekorVersion(rawValue: rekor) != nil else { throw ValidationError("--rekor must be v1 or v2, got '\(rekor)'") }
        do { _ = try RegistryRoute.normalize(prefix: prefix) } catch { throw ValidationError("--prefix: \(error)") }
    }

    func run() async throws {
        if exitWithParent { ParentDeath.follow(parent: parentPid) }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fixture-registry")
        do {
            let options = try worldOptions(logger: logger)
            let armed = try scenario.map { try FaultScenario.load(named: $0, from: CommandPaths.folder(scenarios, else: \.scenarios)) }
            try await ServedWorld.run(options, scenario: armed, jobTag: jobTag, logger: logger) { world in
                Self.announce(registry: world.registry, admin: world.admin, storage: world.storage, world: world.world,
                              environment: world.environment)
            }
        } catch {
            logger.critical(error is RegistryError ? "\(error)" : "fixture world: \(error)")
            throw ExitCode.failure
        }
    }

    /// The world the flags describe; paths not given come from ``CommandPaths``.
    private func worldOptions(logger: Logger) throws -> FixtureWorldOptions {
        var options = FixtureWorldOptions(directory: storage.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                          seed: noSeed ? nil : CommandPaths.folder(seed, else: \.seed))
        options.registryFolder = nil
        options.seedExcluding = Set(withoutPackages)
        options.seedRekorVersion = RekorVersion(rawValue: rekor) ?? .v1
        (options.host, options.registryPort, options.pathPrefix, options.logger) = (host, port, prefix, logger)
        options.registryEventLoops = .single
        options.config = try CommandPaths.accessConfig(config)
        options.signingKey = try testKey ? TestRegistryKey.load(from: FixturePaths.current.testRegistryKey) : nil
        options.admin = admin || scenario != nil
        options.scenarios = CommandPaths.folder(scenarios, else: \.scenarios)
        options.faults = options.admin ? FaultPlan() : nil
        return options
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
