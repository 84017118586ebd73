import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

extension FixtureRegistryServer {
    /// Runs the registry, and with `faults` and `requestLog` its control port (``AdminServer``),
    /// in the foreground until SIGTERM or SIGINT, then shuts both down gracefully.
    ///
    /// - Parameter onRunning: called once, when every server listens, with the registry's base URL
    ///   and the control port's (nil without one).
    public static func runUntilSignalled(
        storage: RegistryStorage,
        configuration: RegistryServerConfiguration,
        faults: FaultPlan? = nil,
        requestLog: RequestLog? = nil,
        scenarios: URL = FaultScenario.defaultDirectory,
        logger: Logger,
        onRunning: @escaping @Sendable (_ registry: String, _ admin: String?) -> Void
    ) async throws {
        let withAdmin = faults != nil && requestLog != nil
        let ready = Readiness(waitsForAdmin: withAdmin, onReady: onRunning)
        let app = try buildApplication(storage: storage, configuration: configuration, faults: faults, requestLog: requestLog,
                                       logger: logger, onRunning: { baseURL, _ in ready.registry(baseURL) })
        var services: [any Service] = [app]
        if let faults, let requestLog {
            services.append(AdminServer.buildApplication(storage: storage, faults: faults, requestLog: requestLog,
                                                         scenarios: scenarios, logger: logger,
                                                         onRunning: { url in ready.admin(url) }))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}

/// Calls back once the registry and (if expected) the control port both listen.
private final class Readiness: Sendable {
    private let urls = Mutex<(registry: String?, admin: String?, done: Bool)>((nil, nil, false))
    private let waitsForAdmin: Bool
    private let onReady: @Sendable (String, String?) -> Void

    init(waitsForAdmin: Bool, onReady: @escaping @Sendable (String, String?) -> Void) {
        self.waitsForAdmin = waitsForAdmin
        self.onReady = onReady
    }

    func registry(_ url: String) { update { $0.registry = url } }
    func admin(_ url: String) { update { $0.admin = url } }

    private func update(_ change: (inout (registry: String?, admin: String?, done: Bool)) -> Void) {
        let ready: (String, String?)? = urls.withLock { urls in
            change(&urls)
            guard !urls.done, let registry = urls.registry, !waitsForAdmin || urls.admin != nil else { return nil }
            urls.done = true
            return (registry, urls.admin)
        }
        if let ready { onReady(ready.0, ready.1) }
    }
}
