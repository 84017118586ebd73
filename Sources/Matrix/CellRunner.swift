import FixtureFaults
import FixtureRegistry
public import Foundation
import Harness

/// Runs one cell in isolation: its own fixture world (seeded with the cell's bundle shape, logged in
/// the cell's Rekor), the key state applied, the scenario's faults armed, then the client; the log goes to `logFile`.
public struct CellRunner: Sendable {
    let environment: MatrixEnvironment

    public init(environment: MatrixEnvironment) { self.environment = environment }

    public func run(_ planned: MatrixPlan.Planned, logFile: URL, logName: String) async -> CellResult {
        let started = ContinuousClock.now
        let log = CellLog(cell: planned.cell, expected: planned.expected)
        let result: (actual: String, outcome: CellOutcome, reason: String)
        if planned.cell.client.isNpm && environment.npm == nil {
            result = ("not run", .skipped, "npm is not on PATH")
        } else {
            do {
                result = try await execute(planned, log: log)
            } catch {
                log.note("setup failed: \(error)")
                result = ("error", .deviation, "setup failed: \(error)")
            }
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        log.note("outcome: \(result.outcome.rawValue) (\(result.reason)) in \(String(format: "%.1f", seconds)) s")
        try? log.text.write(to: logFile, atomically: true, encoding: .utf8)
        return CellResult(cell: planned.cell, expected: planned.expected.description, actual: result.actual,
                          outcome: result.outcome, reason: result.reason, seconds: seconds, log: logName)
    }

    private func execute(_ planned: MatrixPlan.Planned, log: CellLog) async throws -> (String, CellOutcome, String) {
        let cell = planned.cell
        let folder = environment.scratch.appendingPathComponent(cell.id + "-" + UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try cell.scenario.map {
            try FaultScenario.load(named: $0, from: environment.repository.appendingPathComponent("Registry/scenarios"))
        }
        let faults = FaultPlan()
        let world = try await startWorld(for: cell, in: folder, faults: faults, log: log)
        do {
            try checkBundleShape(cell, in: world, log: log)
            let clients = CellClients(environment: environment, world: world, folder: folder, log: log)
            var tree: URL? = nil
            if cell.client == .audit || cell.client == .npmAudit {
                tree = try copyFixture(cell.fixture, to: folder.appendingPathComponent("installed"))
                let clean = try await clients.verifyInstall(tree!, cache: "cache-clean", label: "clean install before the fault")
                guard clean.status == 0 else {
                    await world.stop()
                    return ("error", .deviation, "the clean install before the fault exited \(clean.status)")
                }
            }
            try applyKeyState(cell.keyState, to: world, log: log)
            if let scenario { faults.activate(scenario) ; log.note("fault armed: \(scenario.name)") }
            let (outcome, placedOnFailure) = try await runClient(cell, clients: clients, tree: tree, folder: folder)
            await world.stop()
            let judged = VerdictJudge.judge(outcome, expected: planned.expected, npmExpected: planned.npmExpected, client: cell.client)
            return placedOnFailure ? (judged.0, .deviation, "the install failed but placed packages under node_modules/@mochi") : judged
        } catch {
            await world.stop()
            throw error
        }
    }

    /// Runs the cell's client (against the tree installed before the fault, for the audits); for our
    /// install, also whether it failed yet placed packages.
    private func runClient(_ cell: MatrixCell, clients: CellClients, tree: URL?, folder: URL) async throws -> (CellProcess.Result, Bool) {
        switch cell.client {
        case .install:
            let project = try copyFixture(cell.fixture, to: folder.appendingPathComponent("project"))
            let outcome = try await clients.verifyInstall(project, cache: "cache-fault", label: cell.client.rawValue)
            let placed = FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi").path)
            return (outcome, outcome.status != 0 && placed)
        case .audit:
            return (try await clients.verifyAudit(tree!), false)
        case .npmAudit:
            let arguments = ["audit", "signatures", "--fetch-retries=0", "--fetch-timeout=30000"]
            let human = try await clients.npm(arguments, in: tree!)
            guard cell.log == .v2 else { return (human, false) }
            // npm's report hides why an attestation is invalid; its --json names sigstore-js's reason.
            let json = try await clients.npm(arguments + ["--json"], in: tree!)
            return (CellProcess.Result(status: human.status, output: human.output + json.output,
                                       timedOut: human.timedOut || json.timedOut), false)
        case .npmInstall:
            let project = try copyFixture(cell.fixture, to: folder.appendingPathComponent("npm-project"))
            let arguments = ["install", "--fetch-retries=0", "--fetch-timeout=30000", "--no-audit", "--no-fund", "--loglevel=error"]
            return (try await clients.npm(arguments, in: project), false)
        }
    }
}
