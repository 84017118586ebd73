import ChildProcess
import Foundation
import SafeJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A `fixture-registry serve` child process (the built executable): started, its first
/// stdout line read for the URLs, then stopped with any signal, SIGKILL included.
///
/// Waiting never blocks a thread of the cooperative pool: ChildProcess (posix_spawn) reads the
/// stdout pipe with blocking `read` on a dedicated thread and waits for the exit on another.
final class ServeProcess: Sendable {
    /// The registry's base URL, with a trailing slash.
    let registry: String
    /// The control port's base URL, when started with `--admin` or `--scenario`.
    let admin: String?
    /// The process id.
    let pid: Int32
    private let child: ChildProcess

    private init(registry: String, admin: String?, child: ChildProcess) {
        self.registry = registry
        self.admin = admin
        self.pid = child.pid
        self.child = child
    }

    /// Starts `binary serve <arguments>` and returns once it printed its JSON line (or fails after `timeout`).
    static func start(_ binary: URL, _ arguments: [String], stderr: URL, timeout: Duration = .seconds(60)) async throws -> ServeProcess {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        environment["MOCHI_REGISTRY_SEED"] = nil
        let firstLine = LineSignal()
        let child = try ChildProcess.spawn(binary.path, ["serve"] + arguments, environment: environment, input: .null,
                                           output: .pipe { event in
                                               switch event {
                                               case .data(let bytes): firstLine.append(bytes)
                                               case .end: firstLine.fail("the registry closed its stdout before printing its address")
                                               }
                                           },
                                           error: .file(stderr.path, append: true))
        // Safety net only: the line normally arrives (or the pipe ends) long before.
        let timer = Task {
            try await Task.sleep(for: timeout)  // safety net only; never reached when the server starts
            firstLine.fail("no address line within \(timeout)")
        }
        defer { timer.cancel() }
        let line: String
        do { line = try await firstLine.wait() } catch {
            child.signal(SIGKILL)
            let status = await child.wait()
            throw ServeProcessError(message: "\(error) (\(status))")
        }
        guard let json = try? JSONValue.parse(Data(line.utf8)), let registry = json["registry"]?.stringValue else {
            child.signal(SIGKILL)
            _ = await child.wait()
            throw ServeProcessError(message: "unexpected first line: \(line)")
        }
        return ServeProcess(registry: registry, admin: json["admin"]?.stringValue, child: child)
    }

    /// Sends `signal` and waits for the process to exit; returns its status
    /// (the exit code, or 128 + the signal number when the signal killed it).
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        child.signal(signal)
        return await child.wait().status
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Collects stdout until the first newline, once.
private final class LineSignal: Sendable {
    private struct State {
        var buffer = Data()
        var result: Result<String, ServeProcessError>?
        var waiter: CheckedContinuation<String, any Error>?
    }

    private let state = Mutex(State())

    func append(_ bytes: [UInt8]) {
        finish { state in
            state.buffer.append(contentsOf: bytes)
            guard let newline = state.buffer.firstIndex(of: 0x0A) else { return nil }
            return .success(String(decoding: state.buffer[..<newline], as: UTF8.self))
        }
    }

    func fail(_ message: String) { finish { _ in .failure(ServeProcessError(message: message)) } }

    func wait() async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<String, ServeProcessError>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func finish(_ decide: (inout State) -> Result<String, ServeProcessError>?) {
        let (waiter, result): (CheckedContinuation<String, any Error>?, Result<String, ServeProcessError>?) = state.withLock { state in
            guard state.result == nil, let result = decide(&state) else { return (nil, nil) }
            state.result = result
            defer { state.waiter = nil }
            return (state.waiter, result)
        }
        if let waiter, let result { waiter.resume(with: result.mapError { $0 as any Error }) }
    }
}
