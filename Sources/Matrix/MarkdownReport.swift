import Foundation

/// The Markdown summary: counts, the exclusion rules, deviations and baseline flags first, then every cell.
enum MarkdownReport {
    static func render(_ report: MatrixReport) -> String {
        var md = "# mochi-matrix \(report.shard)\n\n"
        md += "Started \(report.startedAt), \(String(format: "%.0f", report.wallSeconds)) s wall. "
        md += "\(report.results.count) cells run of \(report.totalCells) in the matrix; \(report.excludedCells) combinations excluded by rule.\n\n"
        md += "| outcome | cells |\n|---|---|\n"
        for (outcome, count) in ReportWriter.counts(report) { md += "| \(outcome.rawValue) | \(count) |\n" }
        md += byLog(report)
        md += "\n## Exclusion rules\n\n| rule | combinations | reason |\n|---|---|---|\n"
        for rule in ExclusionRules.all { md += "| `\(rule.id)` | \(report.exclusions[rule.id] ?? 0) | \(rule.reason) |\n" }
        let deviations = report.deviations
        md += "\n## Deviations (\(deviations.count))\n\n"
        md += deviations.isEmpty ? "None: every cell gave its expected verdict.\n" : ""
        for r in deviations { md += "- `\(r.id)`: expected \(r.expected), found \(r.actual): \(r.reason) ([log](\(r.log)))\n" }
        if !report.baselineFlags.isEmpty {
            md += "\n## Against the baseline (\(report.baselineFlags.count))\n\n"
            for flag in report.baselineFlags { md += "- `\(flag.id)` \(flag.kind.rawValue): \(flag.detail)\n" }
        }
        md += "\n## Cells\n\n| cell | expected | actual | outcome | time | log |\n|---|---|---|---|---|---|\n"
        for r in report.results {
            md += "| `\(r.id)` | \(cell(r.expected)) | \(cell(r.actual)) | \(r.outcome.rawValue) | \(String(format: "%.1f s", r.seconds)) | [log](\(r.log)) |\n"
        }
        return md
    }

    /// The log-version axis: how many cells ran in each log and how they ended.
    static func byLog(_ report: MatrixReport) -> String {
        var md = "\n## By log version\n\n| log | cells | " + CellOutcome.allCases.map(\.rawValue).joined(separator: " | ") + " |\n"
        md += "|---|---|" + String(repeating: "---|", count: CellOutcome.allCases.count) + "\n"
        for log in LogVersion.allCases {
            let cells = report.results.filter { $0.cell.log == log }
            let counts = CellOutcome.allCases.map { outcome in "\(cells.filter { $0.outcome == outcome }.count)" }
            md += "| \(log.rawValue) | \(cells.count) | " + counts.joined(separator: " | ") + " |\n"
        }
        return md
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
}
