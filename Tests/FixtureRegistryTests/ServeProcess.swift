import Foundation
import SafeJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A `fixture-registry serve` child process (the built executable): started, its first
/// stdout line read for the URLs, then stopped with any signal, SIGKILL included.
///
/// Waiting never blocks a thread of the cooperative pool: the first line arrives through a
/// `readabilityHandler` and the exit through `terminationHandler`.
final class ServeProcess: @unchecked Sendable {  // `process` is only kept alive, never touched again
    /// The registry's base URL, with a trailing slash.
    let registry: String
    /// The control port's base URL, when started with `--admin` or `--scenario`.
    let admin: String?
    /// The process id (to signal it).
    let pid: Int32
    private let exit: ExitSignal
    private let process: Process

    private init(registry: String, admin: String?, process: Process, exit: ExitSignal) {
        self.registry = registry
        self.admin = admin
        self.pid = process.processIdentifier
        self.process = process
        self.exit = exit
    }

    /// Starts `binary serve <arguments>` and returns once it printed its JSON line (or fails after `timeout`).
    static func start(_ binary: URL, _ arguments: [String], stderr: URL, timeout: Duration = .seconds(60)) async throws -> ServeProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        environment["MOCHI_REGISTRY_SEED"] = nil
        process.environment = environment
        let output = Pipe()
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let errors = try FileHandle(forWritingTo: stderr)
        errors.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let firstLine = LineSignal()
        let exit = ExitSignal()
        process.terminationHandler = { finished in
            exit.finish(finished.terminationStatus)
            firstLine.fail("the registry exited with status \(finished.terminationStatus) before printing its address")
        }
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            firstLine.append(data)
        }
        try process.run()
        try? errors.close()
        let timer = Task {
            try await Task.sleep(for: timeout)
            firstLine.fail("no address line within \(timeout)")
        }
        defer { timer.cancel() }
        let line: String
        do { line = try await firstLine.wait() } catch {
            kill(process.processIdentifier, SIGKILL)
            throw error
        }
        guard let json = try? JSONValue.parse(Data(line.utf8)), let registry = json["registry"]?.stringValue else {
            kill(process.processIdentifier, SIGKILL)
            throw ServeProcessError(message: "unexpected first line: \(line)")
        }
        return ServeProcess(registry: registry, admin: json["admin"]?.stringValue, process: process, exit: exit)
    }

    /// Sends `signal` and waits for the process to exit; returns its termination status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        kill(pid, signal)
        return await exit.wait()
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

    func append(_ data: Data) {
        finish { state in
            state.buffer.append(data)
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

/// The exit status of a child, awaitable any number of times.
private final class ExitSignal: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    func finish(_ status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status: Int32? = state.withLock { state in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}
