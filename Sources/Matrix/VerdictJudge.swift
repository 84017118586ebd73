/// Compares what a client did with its expected verdict.
enum VerdictJudge {
    /// `(actual, outcome, reason)`: a deviation names the wrong exit status or the first missing phrase.
    static func judge(_ result: CellProcess.Result, expected: ExpectedVerdict, npmExpected: ExpectedVerdict?,
                      client: MatrixClient) -> (String, CellOutcome, String) {
        let actual = result.timedOut ? "timeout (exit \(result.status))" : (result.status == 0 ? "pass" : "exit \(result.status)")
        guard case .exits(let status, let phrases) = expected else { return (actual, .deviation, "the cell was not meant to run") }
        if result.status != status || result.timedOut {
            let tail = result.output.split(separator: "\n").suffix(3).joined(separator: " / ")
            return (actual, .deviation, "expected \(status == 0 ? "pass" : "exit \(status)"), found \(actual): \(tail)")
        }
        if let missing = phrases.first(where: { !result.output.contains($0) }) {
            return (actual, .deviation, "the output lacks `\(missing)`")
        }
        let reason = phrases.isEmpty ? "as expected" : "output names " + phrases.map { "`\($0)`" }.joined(separator: " ")
        if status != 0, let npmExpected, npmExpected.passes {
            return (actual, .stricter, reason + "; npm (\(client.npmCounterpart!.rawValue)) passes")
        }
        return (actual, .pass, reason)
    }
}
