import Foundation

/// How a cell ended, compared with its expected verdict.
public enum CellOutcome: String, Sendable, Codable, CaseIterable {
    /// The client gave the expected verdict.
    case pass
    /// The expected verdict, and it is a failure where the npm counterpart passes.
    case stricter = "stricter-than-npm"
    /// The client did not give the expected verdict (or the cell could not be set up).
    case deviation
    /// The client could not run here (npm not on PATH); not counted as a deviation.
    case skipped
}

/// One cell's record in every report.
public struct CellResult: Sendable, Codable, Equatable {
    public let id: String
    public let cell: MatrixCell
    public let expected: String
    public let actual: String
    public let outcome: CellOutcome
    /// Why the outcome is what it is (the missing phrase, the wrong exit, the setup error, or the expected reason).
    public let reason: String
    public let seconds: Double
    /// The log file, relative to the report folder.
    public let log: String

    public init(cell: MatrixCell, expected: String, actual: String, outcome: CellOutcome, reason: String, seconds: Double, log: String) {
        self.id = cell.id
        self.cell = cell
        self.expected = expected
        self.actual = actual
        self.outcome = outcome
        self.reason = reason
        self.seconds = seconds
        self.log = log
    }
}

/// The JSON report: what ran, where, and each cell's result.
public struct MatrixReport: Sendable, Codable {
    public var shard: String
    public var totalCells: Int
    public var excludedCells: Int
    /// How many cells each exclusion rule took out (rule id → count).
    public var exclusions: [String: Int]
    public var startedAt: String
    public var wallSeconds: Double
    public var results: [CellResult]
    /// Cells whose verdict changed or whose time more than doubled against `--baseline`.
    public var baselineFlags: [BaselineFlag]

    public init(shard: String, totalCells: Int, excludedCells: Int, exclusions: [String: Int], startedAt: String,
                wallSeconds: Double, results: [CellResult], baselineFlags: [BaselineFlag] = []) {
        self.shard = shard
        self.totalCells = totalCells
        self.excludedCells = excludedCells
        self.exclusions = exclusions
        self.startedAt = startedAt
        self.wallSeconds = wallSeconds
        self.results = results
        self.baselineFlags = baselineFlags
    }

    public var deviations: [CellResult] { results.filter { $0.outcome == .deviation } }

    /// Merges shard reports into one (results sorted by id; wall time: the longest shard).
    public static func merge(_ reports: [MatrixReport]) throws(MatrixError) -> MatrixReport {
        guard let first = reports.first else { throw MatrixError("expected at least one shard report to merge, found none") }
        let results = reports.flatMap(\.results).sorted { $0.id < $1.id }
        let ids = results.map(\.id)
        if Set(ids).count != ids.count { throw MatrixError("expected each cell in one shard only, found duplicates") }
        return MatrixReport(shard: reports.map(\.shard).joined(separator: "+"), totalCells: first.totalCells,
                            excludedCells: first.excludedCells, exclusions: first.exclusions, startedAt: reports.map(\.startedAt).min() ?? "",
                            wallSeconds: reports.map(\.wallSeconds).max() ?? 0, results: results,
                            baselineFlags: reports.flatMap(\.baselineFlags).sorted { $0.id < $1.id })
    }
}
