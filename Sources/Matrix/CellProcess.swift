import Foundation

/// Runs one client command of a cell without blocking the cooperative pool (the in-process
/// fixture world answers on it): stdout and stderr go to one file, read back when it exits.
enum CellProcess {
    struct Result: Sendable {
        let status: Int32
        let output: String
        let timedOut: Bool
    }

    /// Runs `executable` in `directory` with the caller's environment minus `npm_config_*`, plus
    /// `environment`; terminates it after `timeout` seconds.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String],
                    outputFile: URL, timeout: Double) async throws -> Result {
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        let box = ProcessBox(process)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            if box.process.isRunning { box.process.terminate() }
            return true
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) == true
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return Result(status: status, output: output, timedOut: timedOut)
    }

    /// The first `name` on PATH.
    static func which(_ name: String) -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

/// Lets the watchdog task terminate the child; `Process` is thread-safe for `isRunning`/`terminate`.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
