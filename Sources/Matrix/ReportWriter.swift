public import Foundation
import SafeJSON

/// Writes the four reports (`matrix.json`, `junit.xml`, `summary.md`, `index.html`) into a folder
/// whose `logs/` holds each cell's log.
public enum ReportWriter {
    public static func write(_ report: MatrixReport, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: folder.appendingPathComponent("matrix.json"), options: .atomic)
        try JUnitReport.render(report).write(to: folder.appendingPathComponent("junit.xml"), atomically: true, encoding: .utf8)
        try MarkdownReport.render(report).write(to: folder.appendingPathComponent("summary.md"), atomically: true, encoding: .utf8)
        try HTMLReport.render(report).write(to: folder.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    }

    /// Counts per outcome, in `CellOutcome` order.
    static func counts(_ report: MatrixReport) -> [(CellOutcome, Int)] {
        CellOutcome.allCases.map { outcome in (outcome, report.results.filter { $0.outcome == outcome }.count) }
    }
}

/// JUnit XML for CI: one test case per cell, a failure per deviation, skipped when npm is absent.
enum JUnitReport {
    static func render(_ report: MatrixReport) -> String {
        let failures = report.deviations.count, skipped = report.results.filter { $0.outcome == .skipped }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"mochi-matrix\" tests=\"\(report.results.count)\" failures=\"\(failures)\" time=\"\(fmt(report.wallSeconds))\">\n"
        xml += "  <testsuite name=\"mochi-matrix \(esc(report.shard))\" tests=\"\(report.results.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(fmt(report.wallSeconds))\">\n"
        for r in report.results {
            let c = r.cell
            xml += "    <testcase classname=\"\(esc(c.scenarioName + "." + c.fixture))\" name=\"\(esc("\(c.client.rawValue) \(c.shape.rawValue) \(c.keyState.rawValue) \(c.log.rawValue)"))\" time=\"\(fmt(r.seconds))\">\n"
            switch r.outcome {
            case .deviation:
                xml += "      <failure message=\"\(esc(r.reason))\">expected \(esc(r.expected)), found \(esc(r.actual)); log: \(esc(r.log))</failure>\n"
            case .skipped:
                xml += "      <skipped message=\"\(esc(r.reason))\"/>\n"
            case .pass, .stricter:
                break
            }
            xml += "      <system-out>\(esc(r.outcome.rawValue + ": " + r.reason + "; log: " + r.log))</system-out>\n    </testcase>\n"
        }
        return xml + "  </testsuite>\n</testsuites>\n"
    }

    static func fmt(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// XML escaping; the control characters clients print (ANSI escapes) are dropped.
    static func esc(_ text: String) -> String { TextEscaping.xml(text) }
}
