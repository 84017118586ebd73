import Foundation
import Matrix
import Testing

/// The clients a scenario is run through, in the table's column order.
typealias Client = MatrixClient
/// What one client must do, as the table's cell says (parsed by `Matrix.ExpectedVerdict`).
typealias Verdict = ExpectedVerdict

/// One row of the expected-verdict table of `Registry/scenarios/README.md`, read with the
/// parser the regression matrix uses, so the suite and the matrix expect the same verdicts.
struct ScenarioRow: Sendable, CustomTestStringConvertible {
    let row: VerdictRow
    var scenario: String? { row.scenario }
    var fixture: String { row.fixture }

    var testDescription: String { "\(scenario ?? "happy path") (\(fixture))" }

    /// The client's verdict; a missing cell counts as not run.
    func verdict(_ client: Client) -> Verdict { row.verdicts[client] ?? .notRun(reason: "no cell") }

    /// Whether the table says the client is run at all.
    func runs(_ client: Client) -> Bool {
        if case .notRun = verdict(client) { false } else { true }
    }

    /// The rows of `file` (default: the repository's scenario README).
    static func load(_ file: URL = ScenarioPaths.readme) throws -> [ScenarioRow] {
        try Matrix.VerdictTable.load(file).map(ScenarioRow.init)
    }
}
