import FixtureFaults
import FixtureRegistry
import FixtureTesting
import Foundation
import Matrix
import Testing

/// Every fault scenario of the fixture registry (`Registry/scenarios/*.json`), and the happy path,
/// run through `verify-install install`, `verify-install audit`, the real `npm audit signatures` and
/// `npm install`, each in its own world with the fault applied after seeding; each client's exit
/// status and reason must be what the table in `Registry/scenarios/README.md` says.
@Suite("Scenario suites", .serialized)
struct ScenarioSuiteTests {
    static let rows: [ScenarioRow] = (try? ScenarioRow.load()) ?? []

    @Test func theTableCoversEveryScenarioFileAndNothingElse() throws {
        let rows = try ScenarioRow.load()
        let files = Set(FaultScenario.names(in: ScenarioPaths.scenarios))
        let named = Set(rows.compactMap(\.scenario))
        #expect(files.count >= 12, "scenario files: \(files.sorted())")
        #expect(files.subtracting(named).isEmpty, "scenarios without a row in README.md: \(files.subtracting(named).sorted())")
        #expect(named.subtracting(files).isEmpty, "rows without a scenario file: \(named.subtracting(files).sorted())")
        #expect(rows.contains { $0.scenario == nil && $0.fixture == "basic" }, "the happy path has a row")
        for row in rows {
            #expect(FileManager.default.fileExists(atPath: ScenarioPaths.fixture(row.fixture).path), "\(row.testDescription): no such fixture")
            #expect(row.runs(.install) && row.runs(.audit), "\(row.testDescription): our clients always run")
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: rows)
    func clientsGiveTheDocumentedVerdicts(_ row: ScenarioRow) async throws {
        let world = try await ScenarioWorld.start(scenario: row.scenario, fixture: row.fixture)
        do {
            try await check(row, in: world)
            await world.stop()
        } catch {
            await world.stop()
            throw error
        }
    }

    private func check(_ row: ScenarioRow, in world: ScenarioWorld) async throws {
        let label = row.testDescription
        let clean = world.cleanInstall
        try #require(clean.status == 0, "\(label): the install before the fault must pass\n\(clean.stdout)\n\(clean.stderr)")

        // verify-install install, into a fresh copy with a fresh tarball cache.
        if row.scenario == nil {
            expect(clean, row.verdict(.install), label, .install)
        } else {
            world.arm()
            let project = try world.freshProject("install")
            let result = try await VerifyInstallClient.install(project, world: world.world, cache: world.scratch.appendingPathComponent("cache-fault"))
            expect(result, row.verdict(.install), label, .install)
            if result.status != 0 {
                #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi").path),
                        "\(label): a failed install placed packages")
            }
        }

        world.arm()
        expect(try await VerifyInstallClient.audit(world.installedTree, world: world.world), row.verdict(.audit), label, .audit)

        let npmClients: [Client] = [.npmAudit, .npmInstall].filter { row.runs($0) }
        guard !npmClients.isEmpty else { return }
        guard await Requirement.npm.isMet() else {
            print("\(label): npm is not on PATH; its columns were not checked")
            return
        }
        if npmClients.contains(.npmAudit) {
            world.arm()
            expect(try await NpmClient.auditSignatures(world.installedTree, world: world), row.verdict(.npmAudit), label, .npmAudit)
        }
        if npmClients.contains(.npmInstall) {
            world.arm()
            let project = try world.freshProject("npm-install")
            let result = try await NpmClient.install(project, world: world)
            expect(result, row.verdict(.npmInstall), label, .npmInstall)
        }
    }

    private func expect(_ result: ProcessResult, _ verdict: Verdict, _ label: String, _ client: Client,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .exits(let status, let phrases) = verdict else { return }
        let output = result.stdout + result.stderr
        let shown = "\(label), \(client.rawValue): expected \(verdict), got exit \(result.status)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
        if ProcessInfo.processInfo.environment["SCENARIO_VERBOSE"] == "1" { print("=== " + shown) }
        #expect(result.status == status, "\(shown)", sourceLocation: sourceLocation)
        for phrase in phrases {
            #expect(output.contains(phrase), "missing `\(phrase)`: \(shown)", sourceLocation: sourceLocation)
        }
    }
}
