import ChildProcess
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one client command of a cell without blocking the cooperative pool (the in-process
/// fixture world answers on it): stdout and stderr go to one file, read back when it exits.
enum CellProcess {
    struct Result: Sendable {
        /// The exit code, or 128 + the signal number (143 after the watchdog's SIGTERM).
        let status: Int32
        let output: String
        let timedOut: Bool
    }

    /// Runs `executable` in `directory` with the caller's environment minus `npm_config_*`, plus
    /// `environment`; sends SIGTERM after `timeout` seconds.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String],
                    outputFile: URL, timeout: Double) async throws -> Result {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        env.merge(environment) { _, new in new }
        // posix_spawn + a waiting thread (ChildProcess): Foundation's Process crashes libdispatch now and then.
        let child = try ChildProcess.spawn(executable.path, arguments, directory: directory.path, environment: env,
                                           input: .null, output: .file(outputFile.path), error: .standardOutput)
        // The watchdog: SIGTERM after `timeout` (the child is signalled only while it is not reaped yet).
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))  // the client's time budget, not a synchronisation
            return child.signal(SIGTERM)
        }
        let termination = await child.wait()
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) == true
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return Result(status: termination.status, output: output, timedOut: timedOut)
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
