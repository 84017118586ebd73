import ChildProcess
public import Foundation

/// A finished child process: exit status and everything it printed.
public struct ProcessResult: Sendable {
    /// The exit code, or 128 + the signal number when a signal ended it (like a shell's `$?`).
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs programs to completion for CLI and real-npm tests, shared by the test targets.
public enum ProcessRunner {
    /// Runs without blocking a thread of the cooperative pool: the in-process fixture registry
    /// answers on that pool, so a blocking wait here could starve the server it talks to.
    /// `npm_config_*` variables of the caller never leak into the child; with `isolatedHome`
    /// the child's `HOME` is a fresh folder removed afterwards (unless `environment` sets one).
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], isolatedHome: Bool = false) async throws -> ProcessResult {
        let scratch = try Scratch.folder("process")
        defer { Scratch.remove(scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        if isolatedHome { env["HOME"] = scratch.path }
        env.merge(environment) { _, new in new }
        // posix_spawn + a waiting thread (ChildProcess): Foundation's Process crashes libdispatch now and then.
        let termination = try await ChildProcess.run(executable.path, arguments, directory: directory?.path, environment: env,
                                                     input: .null, output: .file(outURL.path), error: .file(errURL.path))
        return ProcessResult(status: termination.status,
                             stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// The first `name` on PATH.
    public static func which(_ name: String) -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
