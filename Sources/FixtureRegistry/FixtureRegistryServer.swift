import Foundation
public import Hummingbird
import NIOPosix
public import Logging

/// Where and how the fixture registry listens.
public struct RegistryServerConfiguration: Sendable {
    /// Interface to bind; `127.0.0.1` keeps the registry loopback-only.
    public var host: String
    /// Port to bind; 0 lets the system pick a free one (read it from ``RunningRegistry/port``).
    public var port: Int
    /// Path under which the registry lives (`/` or `/npm/`); every route is below it.
    public var pathPrefix: String
    /// A base URL (scheme, host, port) to put in tarball URLs instead of the bound address.
    public var publicBaseURL: String?
    /// The threads that carry the registry's connections.
    public var eventLoops: RegistryEventLoops

    public init(host: String = "127.0.0.1", port: Int = 0, pathPrefix: String = "/", publicBaseURL: String? = nil,
                eventLoops: RegistryEventLoops = .shared) {
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
        self.publicBaseURL = publicBaseURL
        self.eventLoops = eventLoops
    }
}

/// The event-loop threads a registry's connections run on.
public enum RegistryEventLoops: Sendable {
    /// NIO's process-wide group, one thread per core: for registries inside a test process.
    case shared
    /// One thread of the process's own, for every registry that asks for it: the fixture world a
    /// client is measured against (`fixture-registry serve`). With one loop, a request crosses
    /// fewer threads, and the registry took about 15% less CPU from the cores the client runs on
    /// (0.34 s against 0.40 s for a 1,189-package install); `npm install` took as long.
    case single

    var provider: EventLoopGroupProvider {
        switch self {
        case .shared: .singleton
        case .single: .shared(Self.singleThread)
        }
    }

    /// Made on first use and kept for the process, as NIO's own singleton is.
    private static let singleThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}

/// The loopback npm registry of the fixture world (Hummingbird 2).
public enum FixtureRegistryServer {
    /// Builds the Hummingbird application serving `storage`.
    ///
    /// - Parameters:
    ///   - storage: packuments and tarballs to serve.
    ///   - configuration: address, port and path prefix.
    ///   - faults: the fault hook asked before every request (`FixtureFaults.FaultPlan`), if any.
    ///   - requestLog: where to record every answered request, if anywhere.
    ///   - logger: the application's logger.
    ///   - onRunning: called once the server listens, with its base URL (trailing slash,
    ///     prefix included) and the port it bound.
    public static func buildApplication(
        storage: RegistryStorage,
        configuration: RegistryServerConfiguration = RegistryServerConfiguration(),
        faults: (any RegistryFaultHook)? = nil,
        requestLog: RequestLog? = nil,
        logger: Logger = Logger(label: "fixture-registry"),
        onRunning: @escaping @Sendable (_ baseURL: String, _ port: Int) async -> Void = { _, _ in }
    ) throws(RegistryError) -> some ApplicationProtocol {
        let prefix = try RegistryRoute.normalize(prefix: configuration.pathPrefix)
        guard (0...65535).contains(configuration.port) else { throw .serverStart("port \(configuration.port) is out of range") }
        let address = ServerAddress(publicBaseURL: configuration.publicBaseURL)
        let responder = RegistryResponder(storage: storage, pathPrefix: prefix, faults: faults, address: address,
                                          requestLog: requestLog)
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "fixture-registry"
            ),
            onServerRunning: { channel in
                address.record(ipAddress: channel.localAddress?.ipAddress, port: channel.localAddress?.port)
                await onRunning(address.baseURL(prefix: prefix), address.port ?? configuration.port)
            },
            eventLoopGroupProvider: configuration.eventLoops.provider,
            logger: logger
        )
    }

    /// Starts a registry in this process and returns once it listens.
    ///
    /// Start and stop as many as you like; each binds its own port.
    /// ```swift
    /// let registry = try await FixtureRegistryServer.start(storage: storage)
    /// defer { Task { await registry.stop() } }
    /// // npm install --registry \(registry.baseURL) …
    /// ```
    ///
    /// With a `control` port (`FixtureFaults.AdminServer`), a request log is kept and the control
    /// application runs beside the registry on its own port; read ``RunningRegistry/adminURL``.
    public static func start(
        storage: RegistryStorage,
        host: String = "127.0.0.1",
        port: Int = 0,
        pathPrefix: String = "/",
        faults: (any RegistryFaultHook)? = nil,
        control: (any RegistryControlPort)? = nil,
        eventLoops: RegistryEventLoops = .shared,
        logger: Logger = Self.quietLogger
    ) async throws -> RunningRegistry {
        let started = StartupSignal()
        let requestLog = control == nil ? nil : RequestLog()
        let app = try buildApplication(
            storage: storage,
            configuration: RegistryServerConfiguration(host: host, port: port, pathPrefix: pathPrefix, eventLoops: eventLoops),
            faults: faults,
            requestLog: requestLog,
            logger: logger,
            onRunning: { baseURL, port in started.succeed(baseURL: baseURL, port: port) }
        )
        guard let control, let requestLog else {
            return try await RunningRegistry.run([app], storage: storage, faults: faults, logger: logger, started: started)
        }
        let adminStarted = StartupSignal()
        let controlApp = control.application(storage: storage, requestLog: requestLog, logger: logger,
                                             onRunning: { url in adminStarted.succeed(baseURL: url, port: 0) })
        return try await RunningRegistry.run([app, controlApp], storage: storage, faults: faults, requestLog: requestLog,
                                             logger: logger, started: started, adminStarted: adminStarted)
    }

    /// A logger that reports only warnings and errors, for in-process registries.
    public static var quietLogger: Logger {
        var logger = Logger(label: "fixture-registry")
        logger.logLevel = .warning
        return logger
    }
}
