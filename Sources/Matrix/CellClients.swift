import Foundation
import Harness

/// The four clients as a cell runs them against its world, each command and its output logged.
struct CellClients: Sendable {
    let environment: MatrixEnvironment
    let world: FixtureWorld
    let folder: URL
    let log: CellLog

    /// `verify-install install` into `project` with a fresh tarball cache named `cache`.
    func verifyInstall(_ project: URL, cache: String, label: String) async throws -> CellProcess.Result {
        try await run(environment.verifyInstall, [
            "install", "--prefix", project.path, "--registry", world.registryURL,
            "--trusted-root", world.trustedRootFile.path, "--cache", folder.appendingPathComponent(cache).path, "--quiet",
        ], in: project, environment: try home("vi-home"), label: label)
    }

    func verifyAudit(_ project: URL) async throws -> CellProcess.Result {
        try await run(environment.verifyInstall, [
            "audit", "--prefix", project.path, "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
        ], in: project, environment: try home("vi-home"), label: "verify-install audit")
    }

    /// The real npm, offline through the world's TUF mirror, with its own HOME and cache.
    func npm(_ arguments: [String], in project: URL) async throws -> CellProcess.Result {
        guard let npm = environment.npm else { throw MatrixError("npm is not on PATH") }
        var env = try Self.npmEnvironment(world, cache: folder.appendingPathComponent("npm-cache"))
        env.merge(try home("npm-home")) { _, new in new }
        env["npm_config_userconfig"] = env["HOME"]! + "/.npmrc"
        env["npm_config_prefer_online"] = "true"
        env["NO_UPDATE_NOTIFIER"] = "1"
        return try await run(npm, arguments + ["--registry", world.registryURL], in: project, environment: env, label: "npm")
    }

    /// npm's environment for this world (`FixtureWorld.npmEnvironment`: the TUF root and targets seeded).
    static func npmEnvironment(_ world: FixtureWorld, cache: URL) throws -> [String: String] {
        try world.npmEnvironment(cache: cache)
    }

    private func home(_ name: String) throws -> [String: String] {
        let home = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path]
    }

    private func run(_ executable: URL, _ arguments: [String], in directory: URL, environment env: [String: String],
                     label: String) async throws -> CellProcess.Result {
        log.note("$ \(executable.lastPathComponent) \(arguments.joined(separator: " "))   (\(label))")
        let output = folder.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).txt")
        let result = try await CellProcess.run(executable, arguments, in: directory, environment: env, outputFile: output,
                                               timeout: environment.clientTimeout)
        log.output(result.output)
        log.note("exit \(result.status)\(result.timedOut ? " (terminated after \(Int(environment.clientTimeout)) s)" : "")")
        return result
    }
}

/// A cell's log, built in memory and written once the cell ends.
final class CellLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]

    init(cell: MatrixCell, expected: ExpectedVerdict) {
        lines = ["cell: \(cell.id)", "scenario: \(cell.scenarioName)  fixture: \(cell.fixture)  client: \(cell.client.rawValue)",
                 "bundle: \(cell.shape.rawValue)  key state: \(cell.keyState.rawValue)  log: \(cell.log.rawValue)", "expected: \(expected)", ""]
    }

    func note(_ line: String) { lock.withLock { lines.append("# \(line)") } }
    func output(_ text: String) { lock.withLock { lines.append(text.hasSuffix("\n") ? String(text.dropLast()) : text) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") + "\n" } }
}
