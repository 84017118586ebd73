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
    /// The fault plan it applies, if any.
    public let faults: FaultPlan?

    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(baseURL: String, port: Int, storage: RegistryStorage, faults: FaultPlan?, group: ServiceGroup, task: Task<Void, Never>) {
        self.baseURL = baseURL
        self.port = port
        self.storage = storage
        self.faults = faults
        self.group = group
        self.task = task
    }

    /// Runs `app` in a service group and waits until it listens (or fails to).
    static func run(_ app: some ApplicationProtocol, storage: RegistryStorage, faults: FaultPlan?, logger: Logger,
                    started: StartupSignal) async throws -> RunningRegistry {
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
                started.fail(RegistryError.serverStart("the server stopped before it listened"))
            } catch {
                started.fail(RegistryError.serverStart("\(error)"))
            }
        }
        do {
            let (baseURL, port) = try await started.wait()
            return RunningRegistry(baseURL: baseURL, port: port, storage: storage, faults: faults, group: group, task: task)
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

/// One-shot rendezvous between `onServerRunning` and ``FixtureRegistryServer/start(storage:host:port:pathPrefix:faults:logger:)``.
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
