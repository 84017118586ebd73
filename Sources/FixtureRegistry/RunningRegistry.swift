import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A fixture registry running in this process; ``stop()`` shuts it down gracefully.
public final class RunningRegistry: Sendable {
    /// `http://127.0.0.1:<port>/` plus the path prefix, with a trailing slash.
    public let baseURL: String
    /// The port the server bound.
    public let port: Int
    /// The storage it serves.
    public let storage: RegistryStorage
    /// The fault hook it asks, if any.
    public let faults: (any RegistryFaultHook)?
    /// The control port's base URL (`http://127.0.0.1:<port>/`) when started with `admin`.
    public let adminURL: String?
    /// The request log the control port serves, when started with `admin`.
    public let requestLog: RequestLog?

    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(baseURL: String, port: Int, storage: RegistryStorage, faults: (any RegistryFaultHook)?, adminURL: String?,
                 requestLog: RequestLog?, group: ServiceGroup, task: Task<Void, Never>) {
        self.baseURL = baseURL
        self.port = port
        self.storage = storage
        self.faults = faults
        self.adminURL = adminURL
        self.requestLog = requestLog
        self.group = group
        self.task = task
    }

    /// Runs `apps` in one service group and waits until the registry (and the control port, if any) listen.
    static func run(_ apps: [any Service], storage: RegistryStorage, faults: (any RegistryFaultHook)?, requestLog: RequestLog? = nil,
                    logger: Logger, started: StartupSignal, adminStarted: StartupSignal? = nil) async throws -> RunningRegistry {
        let group = ServiceGroup(configuration: .init(services: apps, gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
                started.fail(RegistryError.serverStart("the server stopped before it listened"))
                adminStarted?.fail(RegistryError.serverStart("the control port stopped before it listened"))
            } catch {
                started.fail(RegistryError.serverStart("\(error)"))
                adminStarted?.fail(RegistryError.serverStart("\(error)"))
            }
        }
        do {
            let (baseURL, port) = try await started.wait()
            let adminURL = try await adminStarted?.wait().0
            return RunningRegistry(baseURL: baseURL, port: port, storage: storage, faults: faults, adminURL: adminURL,
                                   requestLog: requestLog, group: group, task: task)
        } catch {
            await group.triggerGracefulShutdown()
            await task.value
            throw error
        }
    }

    /// The absolute URL of a path below the registry (`@mochi/example`, `-/ping`).
    public func url(_ path: String) -> String { baseURL + path }

    /// Shuts the server down and waits until it has; calling it again does nothing.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

/// One-shot rendezvous between `onServerRunning` and ``FixtureRegistryServer/start(storage:host:port:pathPrefix:faults:control:logger:)``.
final class StartupSignal: Sendable {
    private enum State {
        case waiting(CheckedContinuation<(String, Int), any Error>?)
        case done(Result<(String, Int), any Error>)
    }

    private let state = Mutex(State.waiting(nil))

    func succeed(baseURL: String, port: Int) { finish(.success((baseURL, port))) }
    func fail(_ error: any Error) { finish(.failure(error)) }

    func wait() async throws -> (String, Int) {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<(String, Int), any Error>? = state.withLock { state in
                switch state {
                case .done(let result): return result
                case .waiting: state = .waiting(continuation); return nil
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func finish(_ result: Result<(String, Int), any Error>) {
        let continuation: CheckedContinuation<(String, Int), any Error>? = state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done(result)
            return continuation
        }
        continuation?.resume(with: result)
    }
}
