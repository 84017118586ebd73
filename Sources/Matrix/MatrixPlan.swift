public import Foundation

/// The whole matrix: every combination of the axes, split into the cells that run (sorted by
/// id, with their expected verdict) and the cells excluded by a rule.
public struct MatrixPlan: Sendable {
    public struct Planned: Sendable, Hashable {
        public let cell: MatrixCell
        public let expected: ExpectedVerdict
        /// The npm counterpart's verdict from the same row (for "stricter than npm").
        public let npmExpected: ExpectedVerdict?

        public static func == (a: Self, b: Self) -> Bool { a.cell == b.cell }
        public func hash(into hasher: inout Hasher) { hasher.combine(cell) }
    }

    public let cells: [Planned]
    public let excluded: [(cell: MatrixCell, rule: String)]

    /// Crosses `scenarios` (nil: the happy path) × `fixtures` × clients × shapes × key states × log
    /// versions; a cell's expected verdict is the row for its scenario and fixture in its log's table.
    public init(rows: [VerdictRow], scenarios: [String], fixtures: [String]) {
        var cells: [Planned] = [], excluded: [(cell: MatrixCell, rule: String)] = []
        for cell in Self.combinations(scenarios: scenarios, fixtures: fixtures) {
            let row = rows.first { $0.scenario == cell.scenario && $0.fixture == cell.fixture && $0.log == cell.log }
            if let rule = ExclusionRules.excluding(cell, row: row) {
                excluded.append((cell: cell, rule: rule.id))
            } else if let row, let expected = row.verdicts[cell.client] {
                cells.append(Planned(cell: cell, expected: expected, npmExpected: cell.client.npmCounterpart.flatMap { row.verdicts[$0] }))
            }
        }
        self.cells = cells.sorted { $0.cell < $1.cell }
        self.excluded = excluded.sorted { $0.cell < $1.cell }
    }

    /// Every combination of the axes (the happy path first).
    static func combinations(scenarios: [String], fixtures: [String]) -> [MatrixCell] {
        let scenarioAxis: [String?] = [nil] + scenarios.sorted()
        return scenarioAxis.flatMap { scenario in fixtures.sorted().flatMap { fixture in MatrixClient.allCases.flatMap { client in
            BundleShape.allCases.flatMap { shape in KeyState.allCases.flatMap { key in LogVersion.allCases.map { log in
                MatrixCell(scenario: scenario, fixture: fixture, client: client, shape: shape, keyState: key, log: log)
            } } }
        } } }
    }

    /// The repository's plan: the table, the scenario files and the consumer fixtures.
    public static func load(repository: URL) throws -> MatrixPlan {
        let scenarios = repository.appendingPathComponent("Registry/scenarios")
        let rows = try VerdictTable.loadAll(scenarios.appendingPathComponent("README.md"))
        let names = try FileManager.default.contentsOfDirectory(atPath: scenarios.path)
            .filter { $0.hasSuffix(".json") && $0 != "expected.json" }.map { String($0.dropLast(5)) }
        let fixturesDir = repository.appendingPathComponent("ConsumerFixtures")
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: fixturesDir.path).filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: fixturesDir.appendingPathComponent($0).path, isDirectory: &isDir) && isDir.boolValue
        }
        return MatrixPlan(rows: rows, scenarios: names, fixtures: fixtures)
    }

    /// The deterministic share `shard` of the cells: every N-th cell of the sorted list.
    public func cells(in shard: Shard) -> [Planned] {
        cells.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }
}

/// `i/N`: the i-th (1-based) of N shares of the matrix.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/N` with 1 ≤ i ≤ N.
    public init(parsing text: String) throws(MatrixError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw MatrixError("expected a shard as i/N with 1 <= i <= N, found '\(text)'")
        }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }
}
