import FixtureTesting
import Foundation
@testable import Matrix
import Testing

/// The log-version axis (Rekor v1, v2): its table of expected verdicts, the cells it adds and the
/// rules that keep it from multiplying the matrix, old reports, and the reports that show it.
@Suite struct LogAxisTests {
    static let readme = Repository.registry.appendingPathComponent("scenarios/README.md")

    /// A README with one row in each log's table (and text between them, as the real one has).
    static let markdown = """
        # scenarios

        \(LogVersion.v1.verdictHeading)

        | scenario | fixture | verify-install install | verify-install audit | npm audit signatures | npm install | notes |
        |---|---|---|---|---|---|---|
        | (none) | `basic` | pass `ok` | pass | pass `v1 audit` | pass | v1 |

        \(LogVersion.v2.verdictHeading)

        Prose about Rekor v2.

        | scenario | fixture | verify-install install | verify-install audit | npm audit signatures | npm install | notes |
        |---|---|---|---|---|---|---|
        | (none) | `basic` | pass `ok` | pass | exit 1 `invalid checkpoint signature` | not run (no attestations) | v2 |
        """

    @Test func eachLogReadsItsOwnTable() throws {
        let v1 = try VerdictTable.parse(Self.markdown, log: .v1)
        let v2 = try VerdictTable.parse(Self.markdown, log: .v2)
        #expect(v1.count == 1 && v1[0].log == .v1 && v1[0].notes == "v1")
        #expect(v1[0].verdicts[.npmAudit] == .exits(status: 0, phrases: ["v1 audit"]))
        #expect(v2.count == 1 && v2[0].log == .v2 && v2[0].notes == "v2")
        #expect(v2[0].verdicts[.npmAudit] == .exits(status: 1, phrases: ["invalid checkpoint signature"]))
        #expect(v2[0].verdicts[.npmInstall] == .notRun(reason: "no attestations"))
    }

    @Test func aMissingOrDoubledV2TableFailsClosed() throws {
        let v1Only = String(Self.markdown[..<Self.markdown.range(of: LogVersion.v2.verdictHeading)!.lowerBound])
        #expect(try VerdictTable.parse(v1Only, log: .v1).count == 1)
        let missing = #expect(throws: MatrixError.self) { try VerdictTable.parse(v1Only, log: .v2) }
        #expect(missing?.description.contains(LogVersion.v2.verdictHeading) == true)
        let row = "| (none) | `basic` | pass | pass | pass | pass | again |"
        let doubled = #expect(throws: MatrixError.self) { try VerdictTable.parse(Self.markdown + "\n" + row, log: .v2) }
        #expect(doubled?.description.contains("found two") == true)
    }

    /// Exact counts on a small plan: the v2 cells are the happy path's v0.3, current-key cells of the
    /// three clients that read attestations; each other v2 combination is excluded by its rule.
    @Test func theV2AxisAddsOnlyTheCellsItCanChange() throws {
        let rows = try LogVersion.allCases.flatMap { try VerdictTable.parse(Self.markdown, log: $0) }
        let plan = MatrixPlan(rows: rows, scenarios: ["tampered-tarball"], fixtures: ["basic"])
        let v2 = plan.cells.filter { $0.cell.log == .v2 }.map(\.cell.id)
        #expect(v2 == ["none.basic.npm-audit.v0.3-dsse.current.rekor-v2", "none.basic.vi-audit.v0.3-dsse.current.rekor-v2",
                       "none.basic.vi-install.v0.3-dsse.current.rekor-v2"])
        #expect(plan.cells.filter { $0.cell.log == .v1 }.count == 3 * 6 + 1, "v1: three clients on every shape and key, npm install once")
        let rules = Dictionary(plan.excluded.filter { $0.cell.log == .v2 }.map { ($0.rule, 1) }, uniquingKeysWith: +)
        // 2 scenarios × 4 clients × 3 key states on v0.2; 2 × 4 × 2 rotated/expired on v0.3; tampered-tarball's 4; npm install's 1.
        #expect(rules == ["rekor-v2-bundle-v0.3-only": 24, "rekor-v2-ignores-keys": 16, "rekor-v2-not-read": 4, "table-not-run": 1])
        let audit = try #require(plan.cells.first { $0.cell.id == "none.basic.vi-audit.v0.3-dsse.current.rekor-v2" })
        #expect(audit.npmExpected == .exits(status: 1, phrases: ["invalid checkpoint signature"]), "npm's verdict from the v2 row")
    }

    @Test func theRepositoryPlanRunsV2WhereTheLogCanMatter() throws {
        let plan = try MatrixPlan.load(repository: Repository.root)
        let v2 = plan.cells.filter { $0.cell.log == .v2 }
        #expect(!v2.isEmpty)
        #expect(v2.allSatisfy { $0.cell.shape == .v03DSSE && $0.cell.keyState == .current && $0.cell.client != .npmInstall })
        #expect(v2.allSatisfy { ExclusionRules.logSensitive.contains($0.cell.scenarioName) })
        func rule(_ id: String) -> String? { plan.excluded.first { $0.cell.id == id }?.rule }
        #expect(rule("none.basic.vi-install.v0.2-intoto.current.rekor-v2") == "rekor-v2-bundle-v0.3-only")
        #expect(rule("none.basic.vi-install.v0.3-dsse.expired.rekor-v2") == "rekor-v2-ignores-keys")
        #expect(rule("tampered-tarball.basic.vi-install.v0.3-dsse.current.rekor-v2") == "rekor-v2-not-read")
        #expect(rule("missing-attestation.basic.vi-audit.v0.3-dsse.current.rekor-v2") == "rekor-v2-not-read")
        #expect(rule("none.basic.npm-install.v0.3-dsse.current.rekor-v2") == "table-not-run")
        // The axis costs a small share of the matrix, not a second matrix.
        #expect(v2.count * 5 < plan.cells.count, "v2 cells: \(v2.count) of \(plan.cells.count)")
    }

    /// The v2 table has a row exactly where the rules let v2 run, and documents the breakage: on
    /// the happy path ours verifies while npm 10's audit fails, naming sigstore-js's reason.
    @Test func theReadmeV2TableMatchesTheRulesAndRecordsNpm10() throws {
        let v1 = try VerdictTable.load(Self.readme, log: .v1), v2 = try VerdictTable.load(Self.readme, log: .v2)
        let wanted = Set(v1.filter { ExclusionRules.logSensitive.contains($0.scenario ?? "none") }.map { "\($0.scenario ?? "none")/\($0.fixture)" })
        #expect(Set(v2.map { "\($0.scenario ?? "none")/\($0.fixture)" }) == wanted)
        let happy = try #require(v2.first { $0.scenario == nil && $0.fixture == "basic" })
        #expect(happy.verdicts[.install]?.passes == true && happy.verdicts[.audit]?.passes == true)
        guard case .exits(1, let phrases) = happy.verdicts[.npmAudit] else {
            Issue.record("expected npm audit signatures to fail on Rekor v2, found \(String(describing: happy.verdicts[.npmAudit]))")
            return
        }
        #expect(phrases.contains { $0.contains("invalid checkpoint signature") }, "npm's --json reason is quoted: \(phrases)")
        #expect(phrases.contains("2 packages have invalid attestations"))
    }

    @Test func reportsFromBeforeTheAxisReadAsRekorV1() throws {
        let old = Data(#"{"scenario":null,"fixture":"basic","client":"verify-install install","shape":"v0.3-dsse","keyState":"current"}"#.utf8)
        let cell = try JSONDecoder().decode(MatrixCell.self, from: old)
        #expect(cell.log == .v1 && cell.id == "none.basic.vi-install.v0.3-dsse.current.rekor-v1")
        let now = MatrixCell(scenario: nil, fixture: "basic", client: .install, shape: .v03DSSE, keyState: .current, log: .v2)
        #expect(try JSONDecoder().decode(MatrixCell.self, from: JSONEncoder().encode(now)) == now)
        // A baseline whose results carry old ids still matches the cells by what they are.
        let before = CellResult(cell: cell, expected: "pass", actual: "pass", outcome: .pass, reason: "", seconds: 1, log: "l")
        var json = String(decoding: try JSONEncoder().encode(before), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"none.basic.vi-install.v0.3-dsse.current.rekor-v1\"", with: "\"none.basic.vi-install.v0.3-dsse.current\"")
        let oldResult = try JSONDecoder().decode(CellResult.self, from: Data(json.utf8))
        #expect(oldResult.id == "none.basic.vi-install.v0.3-dsse.current")
        let baseline = MatrixReport(shard: "1/1", totalCells: 1, excludedCells: 0, exclusions: [:], startedAt: "", wallSeconds: 1,
                                    results: [oldResult])
        #expect(Baseline.compare([before], with: baseline).isEmpty, "no new-cell flag for a cell the old report had")
    }

    @Test func theReportsShowTheAxis() throws {
        func result(_ log: LogVersion, _ outcome: CellOutcome) -> CellResult {
            let cell = MatrixCell(scenario: nil, fixture: "basic", client: .npmAudit, shape: .v03DSSE, keyState: .current, log: log)
            return CellResult(cell: cell, expected: "pass", actual: "pass", outcome: outcome, reason: "r", seconds: 1, log: "logs/\(cell.id).log")
        }
        let report = MatrixReport(shard: "1/1", totalCells: 2, excludedCells: 0, exclusions: [:], startedAt: "", wallSeconds: 2,
                                  results: [result(.v1, .pass), result(.v2, .deviation)])
        let html = HTMLReport.render(report)
        #expect(html.contains("<th rowspan=\"3\">log</th>"))
        #expect(html.contains("<th class=\"row\">rekor-v1</th>") && html.contains("<th class=\"row\">rekor-v2</th>"))
        #expect(html.contains("(1 rekor-v1, 1 rekor-v2)"))
        let md = MarkdownReport.render(report)
        #expect(md.contains("## By log version"))
        #expect(md.contains("| rekor-v1 | 1 | 1 | 0 | 0 | 0 |") && md.contains("| rekor-v2 | 1 | 0 | 0 | 1 | 0 |"), "\(md)")
        #expect(JUnitReport.render(report).contains("npm audit signatures v0.3-dsse current rekor-v2"))
    }
}
