import Foundation

/// A finished `verify-install` run.
struct CLIResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `verify-install` without blocking a thread of the cooperative pool.
enum CLIProcess {
    /// Runs with a clean npm environment: `environment` is added, `npm_config_*` and `HOME` come from the caller only.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("verify-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = CLIPaths.verifyInstall
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") && $0.key != "HOME" }
        env["HOME"] = scratch.path
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return CLIResult(status: status, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
