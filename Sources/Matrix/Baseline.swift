public import Foundation

/// A cell that changed against an earlier JSON report.
public struct BaselineFlag: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case verdictChanged = "verdict-changed"
        case slower = "time-more-than-doubled"
        case new = "new-cell"
    }

    public let id: String
    public let kind: Kind
    public let detail: String
}

/// Compares results with a baseline report: a changed actual verdict or outcome, or a time more than
/// twice the baseline's (ignored below `floorSeconds` of difference, where timing is noise).
public enum Baseline {
    public static func load(_ file: URL) throws -> MatrixReport {
        do {
            return try JSONDecoder().decode(MatrixReport.self, from: Data(contentsOf: file))
        } catch {
            throw MatrixError("--baseline \(file.path): expected a mochi-matrix JSON report, found unreadable data (\(error))")
        }
    }

    public static func compare(_ results: [CellResult], with baseline: MatrixReport, floorSeconds: Double = 1) -> [BaselineFlag] {
        // Keyed by the id the cell has now, so a report from before the log axis (its cells read as Rekor v1) still matches.
        let earlier = Dictionary(baseline.results.map { ($0.cell.id, $0) }, uniquingKeysWith: { a, _ in a })
        var flags: [BaselineFlag] = []
        for result in results {
            guard let before = earlier[result.id] else {
                flags.append(BaselineFlag(id: result.id, kind: .new, detail: "not in the baseline"))
                continue
            }
            if before.actual != result.actual || before.outcome != result.outcome {
                flags.append(BaselineFlag(id: result.id, kind: .verdictChanged,
                                          detail: "was \(before.actual) (\(before.outcome.rawValue)), now \(result.actual) (\(result.outcome.rawValue))"))
            }
            if result.seconds > 2 * before.seconds && result.seconds - before.seconds >= floorSeconds {
                flags.append(BaselineFlag(id: result.id, kind: .slower,
                                          detail: String(format: "%.1f s, baseline %.1f s (%.1fx)", result.seconds, before.seconds,
                                                         result.seconds / max(before.seconds, 0.001))))
            }
        }
        return flags
    }
}
