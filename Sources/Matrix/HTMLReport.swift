import Foundation
import SafeJSON

/// A self-contained HTML page (inline CSS, no scripts): one row per scenario, fixture and log version,
/// one column per client, bundle shape and key state; each run cell is a link to its log.
enum HTMLReport {
    static func render(_ report: MatrixReport) -> String {
        let byID = Dictionary(report.results.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = Array(Set(report.results.map { RowKey(scenario: $0.cell.scenario, fixture: $0.cell.fixture, log: $0.cell.log) })).sorted()
        let flagged = Set(report.baselineFlags.map(\.id))
        var html = head(report) + header()
        for row in rows { html += body(row, byID: byID, flagged: flagged) }
        html += "</tbody></table>\n"
        if !report.deviations.isEmpty {
            html += "<h2>Deviations</h2><ul>"
            for r in report.deviations { html += "<li><a href=\"\(esc(r.log))\">\(esc(r.id))</a>: expected \(esc(r.expected)), found \(esc(r.actual)): \(esc(r.reason))</li>" }
            html += "</ul>\n"
        }
        return html + "</body></html>\n"
    }

    static let style = """
        body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
        table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 4px;text-align:center}
        th.row{text-align:left;white-space:nowrap}
        td a{display:block;width:34px;height:20px;line-height:20px;text-decoration:none;color:#fff;font-weight:bold;border-radius:3px}
        .pass{background:#2e7d32}.deviation{background:#c62828}
        .stricter-than-npm{background:#1565c0;background-image:repeating-linear-gradient(45deg,transparent 0 4px,rgba(255,255,255,.25) 4px 8px)}
        .skipped{background:#9e9e9e}.excluded{background:#f3f3f3;color:#bbb}
        .flag{outline:3px solid #ff9800}
        .legend span{display:inline-block;padding:2px 8px;margin-right:8px;color:#fff;border-radius:3px}
        """

    /// The page up to the table: title, counts (also per log version), legend.
    static func head(_ report: MatrixReport) -> String {
        let perLog = LogVersion.allCases.map { log in "\(report.results.filter { $0.cell.log == log }.count) \(log.rawValue)" }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>mochi-matrix \(esc(report.shard))</title>
        <style>
        \(style)
        </style></head><body>
        <h1>mochi-matrix \(esc(report.shard))</h1>
        <p>\(report.results.count) cells run of \(report.totalCells) (\(perLog.joined(separator: ", "))), \
        \(report.excludedCells) combinations excluded by rule; \
        \(report.deviations.count) deviation(s); \(String(format: "%.0f", report.wallSeconds)) s wall; started \(esc(report.startedAt)).</p>
        <p class="legend"><span class="pass">✓ as expected</span><span class="stricter-than-npm">S stricter than npm</span>\
        <span class="deviation">✗ deviation</span><span class="skipped">– skipped</span>\
        <span class="excluded" style="color:#999">· excluded</span><span style="color:#222;outline:3px solid #ff9800">changed vs baseline</span></p>

        """
    }

    /// Three header rows: client, bundle shape, key state (the row heads: scenario, fixture, log).
    static func header() -> String {
        var html = "<table><thead>\n<tr><th rowspan=\"3\">scenario</th><th rowspan=\"3\">fixture</th><th rowspan=\"3\">log</th>"
        for client in MatrixClient.allCases { html += "<th colspan=\"\(BundleShape.allCases.count * KeyState.allCases.count)\">\(esc(client.rawValue))</th>" }
        html += "</tr>\n<tr>"
        for _ in MatrixClient.allCases { for shape in BundleShape.allCases { html += "<th colspan=\"\(KeyState.allCases.count)\">\(shape.rawValue)</th>" } }
        html += "</tr>\n<tr>"
        for _ in MatrixClient.allCases { for _ in BundleShape.allCases { for key in KeyState.allCases { html += "<th>\(key.rawValue.prefix(3))</th>" } } }
        return html + "</tr></thead><tbody>\n"
    }

    /// One table row: a link per cell that ran, `·` where a rule excluded the combination.
    static func body(_ row: RowKey, byID: [String: CellResult], flagged: Set<String>) -> String {
        var html = "<tr><th class=\"row\">\(esc(row.scenario ?? "none"))</th><th class=\"row\">\(esc(row.fixture))</th>"
            + "<th class=\"row\">\(row.log.rawValue)</th>"
        for client in MatrixClient.allCases {
            for shape in BundleShape.allCases {
                for key in KeyState.allCases {
                    let id = MatrixCell(scenario: row.scenario, fixture: row.fixture, client: client, shape: shape, keyState: key, log: row.log).id
                    guard let r = byID[id] else { html += "<td class=\"excluded\">·</td>"; continue }
                    let title = "\(r.id)\nexpected: \(r.expected)\nactual: \(r.actual)\n\(r.reason)\n\(String(format: "%.1f s", r.seconds))"
                    html += "<td><a class=\"\(r.outcome.rawValue)\(flagged.contains(id) ? " flag" : "")\" href=\"\(esc(r.log))\" title=\"\(esc(title))\">\(symbol(r.outcome))</a></td>"
                }
            }
        }
        return html + "</tr>\n"
    }

    /// A table row's key; the happy path first, then by scenario, fixture and log.
    struct RowKey: Hashable, Comparable {
        let scenario: String?
        let fixture: String
        let log: LogVersion
        static func < (a: Self, b: Self) -> Bool { (a.scenario ?? "", a.fixture, a.log.rawValue) < (b.scenario ?? "", b.fixture, b.log.rawValue) }
    }

    static func symbol(_ outcome: CellOutcome) -> String {
        switch outcome {
        case .pass: "✓"
        case .stricter: "S"
        case .deviation: "✗"
        case .skipped: "–"
        }
    }

    static func esc(_ text: String) -> String { TextEscaping.xml(text) }
}
