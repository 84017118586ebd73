import FixtureFaults
import FixtureRegistry
import FixtureTesting
import Foundation
import Harness

/// One scenario's own fixture world (Sigstore services, TUF proxy, registry seeded through trusted
/// publishing) with an empty fault plan, and a copy of the consumer fixture installed cleanly by
/// `verify-install` before any fault: the tree both audits read.
///
/// ``arm()`` activates the scenario afresh (its `times` and `perPath` counters restart), so every
/// client meets the fault from its first request rather than what an earlier client left of it.
struct ScenarioWorld: Sendable {
    let world: FixtureWorld
    let faults: FaultPlan
    let scenario: FaultScenario?
    let fixture: String
    let scratch: URL
    /// The fixture installed before the fault: what `verify-install audit` and `npm audit signatures` audit.
    let installedTree: URL
    /// The clean install's result (the happy path's `verify-install install` verdict).
    let cleanInstall: ProcessResult
    /// The real npm's environment (offline TUF through the world's proxy, isolated HOME and cache), one per world.
    let npmEnvironment: [String: String]

    static func start(scenario name: String?, fixture: String) async throws -> ScenarioWorld {
        let scenario = try name.map { try FaultScenario.load(named: $0, from: ScenarioPaths.scenarios) }
        let scratch = try Scratch.folder("scenario-suite-\(name ?? "happy")")
        let faults = FaultPlan()
        let world: FixtureWorld
        do {
            world = try await FixtureWorld.start(directory: scratch.appendingPathComponent("world"),
                                                 seed: Repository.seedPackages, faults: faults)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        do {
            let tree = try copyFixture(fixture, into: scratch, as: "installed")
            let clean = try await VerifyInstallClient.install(tree, world: world, cache: scratch.appendingPathComponent("cache-clean"))
            let npmCache = scratch.appendingPathComponent("npm-cache"), home = scratch.appendingPathComponent("npm-home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            var environment = try world.npmEnvironment(cache: npmCache)
            environment["HOME"] = home.path
            environment["npm_config_userconfig"] = home.appendingPathComponent(".npmrc").path
            environment["npm_config_prefer_online"] = "true"
            environment["NO_UPDATE_NOTIFIER"] = "1"
            return ScenarioWorld(world: world, faults: faults, scenario: scenario, fixture: fixture, scratch: scratch,
                                 installedTree: tree, cleanInstall: clean, npmEnvironment: environment)
        } catch {
            await world.stop()
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
    }

    /// Activates the scenario from scratch (nothing for the happy path).
    func arm() {
        if let scenario { faults.activate(scenario) } else { faults.clearRules() }
    }

    /// A fresh copy of the fixture to install into under the fault.
    func freshProject(_ label: String) throws -> URL {
        try Self.copyFixture(fixture, into: scratch, as: label)
    }

    func stop() async {
        await world.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    static func copyFixture(_ fixture: String, into scratch: URL, as label: String) throws -> URL {
        let project = scratch.appendingPathComponent(label)
        try FileManager.default.copyItem(at: ScenarioPaths.fixture(fixture), to: project)
        return project
    }
}
