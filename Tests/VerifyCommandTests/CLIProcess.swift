import FixtureTesting
import Foundation

/// A finished `verify-install` run.
typealias CLIResult = ProcessResult

/// Runs `verify-install` without blocking a thread of the cooperative pool.
enum CLIProcess {
    /// Runs with a clean npm environment: `environment` is added, `npm_config_*` and `HOME` come from the caller only.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLIResult {
        try await ProcessRunner.run(try CLIPaths.verifyInstall, arguments, environment: environment, isolatedHome: true)
    }
}
