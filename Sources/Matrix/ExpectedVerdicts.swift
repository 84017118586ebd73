public import Foundation

/// What a client must do, as a cell of the table under `## Expected verdicts` in
/// `Registry/scenarios/README.md` says: `pass` (exit 0) or `exit N`, then `` `phrases` `` the
/// output must contain; or `not run` with its reason.
public enum ExpectedVerdict: Sendable, Equatable, Codable, CustomStringConvertible {
    case notRun(reason: String)
    case exits(status: Int32, phrases: [String])

    /// Parses one table cell; fails closed on anything else.
    public init(cell: String) throws(MatrixError) {
        let text = cell.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("not run") {
            self = .notRun(reason: text.dropFirst(7).trimmingCharacters(in: CharacterSet(charactersIn: " ()")))
            return
        }
        let phrases = text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        let head = text.prefix { $0 != "`" }.trimmingCharacters(in: .whitespaces)
        if head == "pass" {
            self = .exits(status: 0, phrases: phrases)
        } else if head.hasPrefix("exit "), let status = Int32(head.dropFirst(5).trimmingCharacters(in: .whitespaces)), status != 0 {
            self = .exits(status: status, phrases: phrases)
        } else {
            throw MatrixError("expected `pass`, `exit N` or `not run` before the phrases, found '\(text)'")
        }
    }

    /// Whether the client is expected to succeed (exit 0).
    public var passes: Bool { if case .exits(0, _) = self { true } else { false } }

    public var description: String {
        switch self {
        case .notRun(let reason): "not run (\(reason))"
        case .exits(let status, let phrases): (status == 0 ? "pass" : "exit \(status)") + phrases.map { " `\($0)`" }.joined()
        }
    }
}

/// One row of a table: scenario (nil: the happy path), fixture, the log the provenance is in (which
/// table the row is from), each client's verdict, notes.
public struct VerdictRow: Sendable, Equatable {
    public let scenario: String?
    public let fixture: String
    public let log: LogVersion
    public let verdicts: [MatrixClient: ExpectedVerdict]
    public let notes: String
}

/// Reads the expected-verdict tables the scenario suite also checks, so the matrix and the
/// `ScenarioTests` expect the same, documented verdicts: one table per log version, each under
/// its `LogVersion.verdictHeading`, all with the same columns.
public enum VerdictTable {
    public static let heading = LogVersion.v1.verdictHeading
    static let columns = ["scenario", "fixture"] + MatrixClient.allCases.map(\.rawValue)

    /// The rows of the table for `log` (default: Rekor v1, the table `ScenarioTests` runs).
    public static func load(_ file: URL, log: LogVersion = .v1) throws -> [VerdictRow] {
        try parse(try String(contentsOf: file, encoding: .utf8), file: file.path, log: log)
    }

    /// The rows of every log's table.
    public static func loadAll(_ file: URL) throws -> [VerdictRow] {
        let markdown = try String(contentsOf: file, encoding: .utf8)
        return try LogVersion.allCases.flatMap { try parse(markdown, file: file.path, log: $0) }
    }

    public static func parse(_ markdown: String, file: String = "README.md", log: LogVersion = .v1) throws(MatrixError) -> [VerdictRow] {
        let heading = log.verdictHeading
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == heading }) else {
            throw MatrixError("\(file): no '\(heading)' section")
        }
        let table = Array(lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") })
        guard table.count > 2 else { throw MatrixError("\(file): no table under '\(heading)'") }
        let header = cells(table[0])
        guard Array(header.prefix(columns.count)) == columns else {
            throw MatrixError("\(file): expected the table's first columns \(columns), found \(header)")
        }
        var rows: [VerdictRow] = []
        for line in table.dropFirst(2) {
            let fields = cells(line)
            guard fields.count >= columns.count else { throw MatrixError("\(file): expected \(columns.count) cells, found \(fields.count): \(line)") }
            let name = fields[0].trimmingCharacters(in: CharacterSet(charactersIn: "` "))
            var verdicts: [MatrixClient: ExpectedVerdict] = [:]
            for (offset, client) in MatrixClient.allCases.enumerated() {
                do throws(MatrixError) { verdicts[client] = try ExpectedVerdict(cell: fields[2 + offset]) } catch {
                    throw MatrixError("\(file): \(heading): \(name), \(client.rawValue): \(error.description)")
                }
            }
            let row = VerdictRow(scenario: name == "(none)" ? nil : name,
                                 fixture: fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "` ")), log: log,
                                 verdicts: verdicts, notes: fields.count > columns.count ? fields[columns.count] : "")
            if rows.contains(where: { $0.scenario == row.scenario && $0.fixture == row.fixture }) {
                throw MatrixError("\(file): \(heading): expected one row for \(name) on \(row.fixture), found two")
            }
            rows.append(row)
        }
        return rows
    }

    static func cells(_ line: String) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

/// A matrix error naming the file, cell or argument and what was expected versus found.
public struct MatrixError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
