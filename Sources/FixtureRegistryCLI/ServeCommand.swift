import ArgumentParser
import FixtureRegistry
import Foundation
import Logging

/// `fixture-registry serve`: load seeds, listen, print the address, run until SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry until interrupted (SIGINT or SIGTERM).",
        discussion: """
            Prints one JSON line on stdout once the server listens, then logs to stderr:

              {"registry":"http://127.0.0.1:PORT/","storage":"/path/to/storage"}

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

    @Option(help: ArgumentHelp("Path prefix to serve under, e.g. /npm/ for http://127.0.0.1:PORT/npm/.", valueName: "path"))
    var prefix = "/"

    @Option(help: ArgumentHelp("Log level on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a log level") }
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
            let store = try RegistryStorage(directory: folder, config: access)
            if !noSeed {
                let loader = SeedLoader(directory: seed.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? SeedLoader.defaultDirectory)
                for package in try loader.load(into: store) {
                    logger.info("seeded \(package.name): \(package.versions.joined(separator: ", "))")
                }
            }
            let storagePath = store.directory.path
            let app = try FixtureRegistryServer.buildApplication(
                storage: store,
                configuration: RegistryServerConfiguration(host: host, port: port, pathPrefix: prefix),
                logger: logger,
                onRunning: { baseURL, _ in Self.announce(registry: baseURL, storage: storagePath) }
            )
            try await app.runService()
            if storage == nil { try? FileManager.default.removeItem(at: store.directory) }
        } catch let error as RegistryError {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
    }

    /// The one line on stdout that tells a parent process where the registry is.
    static func announce(registry: String, storage: String) {
        let line = ["registry": registry, "storage": storage]
        let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
