import FixtureRegistry
import Foundation
import Harness
import Publish

/// Where a run finds its inputs and puts its scratch folders.
public struct MatrixEnvironment: Sendable {
    public let repository: URL
    public let verifyInstall: URL
    /// The real npm, or nil (its cells are then `skipped`).
    public let npm: URL?
    /// Each cell's world and projects live in a folder under here, removed when the cell ends.
    public let scratch: URL
    /// Seconds before a client is terminated.
    public let clientTimeout: Double

    public init(repository: URL, verifyInstall: URL, npm: URL? = MatrixEnvironment.onPath("npm"), scratch: URL, clientTimeout: Double = 240) {
        self.repository = repository
        self.verifyInstall = verifyInstall
        self.npm = npm
        self.scratch = scratch
        self.clientTimeout = clientTimeout
    }

    /// The first `name` on PATH.
    public static func onPath(_ name: String) -> URL? { CellProcess.which(name) }
}

/// Runs one cell in isolation: its own fixture world (seeded with the cell's bundle shape), the
/// key state applied, the scenario's faults armed, then the client; the log goes to `logFile`.
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
        log.note("starting the world (bundle \(cell.shape.rawValue))")
        let world = try await FixtureWorld.start(directory: folder.appendingPathComponent("world"),
                                                 seed: environment.repository.appendingPathComponent("Registry/packages"),
                                                 seedBundleVersion: cell.shape == .v02Intoto ? .v02 : .v03, faults: faults)
        do {
            try checkBundleShape(cell.shape, in: world, log: log)
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
            let outcome: CellProcess.Result
            var placedOnFailure = false
            switch cell.client {
            case .install:
                let project = try copyFixture(cell.fixture, to: folder.appendingPathComponent("project"))
                outcome = try await clients.verifyInstall(project, cache: "cache-fault", label: cell.client.rawValue)
                placedOnFailure = outcome.status != 0 && FileManager.default.fileExists(
                    atPath: project.appendingPathComponent("node_modules/@mochi").path)
            case .audit:
                outcome = try await clients.verifyAudit(tree!)
            case .npmAudit:
                outcome = try await clients.npm(["audit", "signatures", "--fetch-retries=0", "--fetch-timeout=30000"], in: tree!)
            case .npmInstall:
                let project = try copyFixture(cell.fixture, to: folder.appendingPathComponent("npm-project"))
                outcome = try await clients.npm(["install", "--fetch-retries=0", "--fetch-timeout=30000", "--no-audit", "--no-fund",
                                                 "--loglevel=error"], in: project)
            }
            await world.stop()
            var judged = VerdictJudge.judge(outcome, expected: planned.expected, npmExpected: planned.npmExpected, client: cell.client)
            if placedOnFailure { judged = (judged.0, .deviation, "the install failed but placed packages under node_modules/@mochi") }
            return judged
        } catch {
            await world.stop()
            throw error
        }
    }

    private func applyKeyState(_ state: KeyState, to world: FixtureWorld, log: CellLog) throws {
        let keyring = world.registry.storage.keyring
        switch state {
        case .current: return
        case .rotated:
            let id = try keyring.rotate(expiring: Date().addingTimeInterval(365 * 86_400))
            log.note("key rotated: new current key \(id); the signing key expires in a year")
        case .expired:
            let id = try keyring.rotate(expiring: Date())
            log.note("key rotated: new current key \(id); the signing key expired now, after every publish")
        }
    }

    /// Proves the axis: the seeded provenance bundle of `@mochi/example@1.1.0` has the cell's media
    /// type version and transparency-log entry kind (`intoto` for v0.2, `dsse` for v0.3).
    private func checkBundleShape(_ shape: BundleShape, in world: FixtureWorld, log: CellLog) throws {
        let (name, version) = ("@mochi/example", "1.1.0")
        let data = try world.registry.storage.attestations(for: try PackageName(name), version: version) ?? Data()
        let found = BundleShapeProbe.provenanceShape(in: data)
        let wanted = shape == .v02Intoto ? ("0.2", "intoto") : ("0.3", "dsse")
        guard let found, found.mediaVersion == wanted.0, found.kind == wanted.1 else {
            throw MatrixError("\(name)@\(version): expected a provenance bundle v\(wanted.0) with a \(wanted.1) log entry, found "
                              + (found.map { "v\($0.mediaVersion) with a \($0.kind) entry" } ?? "no provenance bundle"))
        }
        log.note("seeded \(name)@\(version) provenance: bundle v\(found.mediaVersion), \(found.kind) log entry")
    }

    private func copyFixture(_ fixture: String, to destination: URL) throws -> URL {
        try FileManager.default.copyItem(at: environment.repository.appendingPathComponent("ConsumerFixtures/\(fixture)"), to: destination)
        return destination
    }
}
