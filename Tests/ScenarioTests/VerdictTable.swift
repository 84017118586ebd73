import Foundation
import Testing

/// The clients a scenario is run through, in the table's column order.
enum Client: String, CaseIterable, Sendable {
    case install = "verify-install install"
    case audit = "verify-install audit"
    case npmAudit = "npm audit signatures"
    case npmInstall = "npm install"
}

/// What one client must do under one scenario, as a table cell says it:
/// `pass` (exit 0) or `exit N`, then any number of `` `phrases` `` its output must contain
/// (the reason, naming the package); or `not run` (with the reason in the notes column).
enum Verdict: Sendable, Equatable, CustomStringConvertible {
    case notRun
    case exits(status: Int32, phrases: [String])

    init(cell: String) throws(TableError) {
        let text = cell.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("not run") { self = .notRun; return }
        let phrases = text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        let head = text.prefix { $0 != "`" }.trimmingCharacters(in: .whitespaces)
        if head == "pass" {
            self = .exits(status: 0, phrases: phrases)
        } else if head.hasPrefix("exit "), let status = Int32(head.dropFirst(5).trimmingCharacters(in: .whitespaces)), status != 0 {
            self = .exits(status: status, phrases: phrases)
        } else {
            throw TableError("expected `pass`, `exit N` or `not run` before the phrases, found '\(text)'")
        }
    }

    var description: String {
        switch self {
        case .notRun: "not run"
        case .exits(let status, let phrases): (status == 0 ? "pass" : "exit \(status)") + phrases.map { " `\($0)`" }.joined()
        }
    }
}

/// One row of the expected-verdict table: a scenario (nil: none, the happy path), the consumer
/// fixture installed, and each client's verdict.
struct ScenarioRow: Sendable, CustomTestStringConvertible {
    let scenario: String?
    let fixture: String
    let verdicts: [Client: Verdict]

    var testDescription: String { "\(scenario ?? "happy path") (\(fixture))" }

    func verdict(_ client: Client) -> Verdict { verdicts[client] ?? .notRun }
}

/// A malformed table in `Registry/scenarios/README.md`.
struct TableError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads the table under `## Expected verdicts` of `Registry/scenarios/README.md`, so the
/// documented verdicts and the ones the tests check are the same text.
enum VerdictTable {
    static let heading = "## Expected verdicts"
    static let columns = ["scenario", "fixture"] + Client.allCases.map(\.rawValue)

    static func load(_ file: URL = ScenarioPaths.readme) throws -> [ScenarioRow] {
        try parse(try String(contentsOf: file, encoding: .utf8), file: file.path)
    }

    static func parse(_ markdown: String, file: String = "README.md") throws(TableError) -> [ScenarioRow] {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == heading }) else {
            throw TableError("\(file): no '\(heading)' section")
        }
        let table = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        guard table.count > 2 else { throw TableError("\(file): no table under '\(heading)'") }
        let header = cells(table[table.startIndex])
        guard Array(header.prefix(columns.count)) == columns else {
            throw TableError("\(file): the table's first columns must be \(columns), found \(header)")
        }
        var rows: [ScenarioRow] = []
        for line in table.dropFirst(2) {
            let fields = cells(line)
            guard fields.count >= columns.count else { throw TableError("\(file): row with \(fields.count) cells: \(line)") }
            let name = fields[0].trimmingCharacters(in: CharacterSet(charactersIn: "` "))
            var verdicts: [Client: Verdict] = [:]
            for (offset, client) in Client.allCases.enumerated() {
                do throws(TableError) { verdicts[client] = try Verdict(cell: fields[2 + offset]) } catch {
                    throw TableError("\(file): \(name), \(client.rawValue): \(error)")
                }
            }
            rows.append(ScenarioRow(scenario: name == "(none)" ? nil : name,
                                    fixture: fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "` ")), verdicts: verdicts))
        }
        return rows
    }

    /// The cells of a `| a | b |` line, trimmed.
    static func cells(_ line: String) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
