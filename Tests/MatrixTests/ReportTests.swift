import FixtureTesting
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Matrix
import Testing

/// The verdict judge, the four reports, merging shards and the baseline comparison, on made-up results.
@Suite struct ReportTests {
    static func cell(_ scenario: String?, _ client: MatrixClient, key: KeyState = .current) -> MatrixCell {
        MatrixCell(scenario: scenario, fixture: "basic", client: client, shape: .v03DSSE, keyState: key)
    }

    static func result(_ cell: MatrixCell, _ outcome: CellOutcome, actual: String = "pass", seconds: Double = 3) -> CellResult {
        CellResult(cell: cell, expected: "pass", actual: actual, outcome: outcome, reason: "why <&> \u{1B}[31m", seconds: seconds,
                   log: "logs/\(cell.id).log")
    }

    static let sample = MatrixReport(
        shard: "1/1", totalCells: 4, excludedCells: 9, exclusions: ["table-not-run": 9], startedAt: "2026-11-27T08:00:00Z",
        wallSeconds: 12,
        results: [result(cell(nil, .install), .pass), result(cell("missing-signature", .install), .stricter, actual: "exit 1"),
                  result(cell("tampered-tarball", .audit), .deviation, actual: "exit 1"), result(cell(nil, .npmAudit), .skipped)])

    @Test func theJudgeComparesExitAndPhrases() {
        let failing = CellProcess.Result(status: 1, output: "EMISSINGSIGNATUREKEY @mochi/example@1.1.0\n", timedOut: false)
        let expected = ExpectedVerdict.exits(status: 1, phrases: ["EMISSINGSIGNATUREKEY", "@mochi/example@1.1.0"])
        #expect(VerdictJudge.judge(failing, expected: expected, npmExpected: .exits(status: 0, phrases: []), client: .install).1 == .stricter)
        #expect(VerdictJudge.judge(failing, expected: expected, npmExpected: .exits(status: 1, phrases: []), client: .audit).1 == .pass)
        let wrongPhrase = ExpectedVerdict.exits(status: 1, phrases: ["EEXPIREDSIGNATUREKEY"])
        let judged = VerdictJudge.judge(failing, expected: wrongPhrase, npmExpected: nil, client: .npmAudit)
        #expect(judged.1 == .deviation && judged.2.contains("EEXPIREDSIGNATUREKEY"))
        #expect(VerdictJudge.judge(failing, expected: .exits(status: 0, phrases: []), npmExpected: nil, client: .install).1 == .deviation)
        let timedOut = CellProcess.Result(status: 15, output: "", timedOut: true)
        #expect(VerdictJudge.judge(timedOut, expected: .exits(status: 15, phrases: []), npmExpected: nil, client: .install).1 == .deviation)
    }

    @Test func theFourReportsAreWrittenAndReadable() throws {
        let folder = try Scratch.folder("matrix-tests-reports")
        defer { Scratch.remove(folder) }
        try ReportWriter.write(Self.sample, to: folder)

        let json = try JSONDecoder().decode(MatrixReport.self, from: Data(contentsOf: folder.appendingPathComponent("matrix.json")))
        #expect(json.results == Self.sample.results && json.deviations.count == 1)

        let xml = try Data(contentsOf: folder.appendingPathComponent("junit.xml"))
        let counter = XMLCounter()
        let parser = XMLParser(data: xml)
        parser.delegate = counter
        #expect(parser.parse(), "junit.xml is well-formed: \(String(describing: parser.parserError))")
        #expect(counter.counts["testcase"] == 4 && counter.counts["failure"] == 1 && counter.counts["skipped"] == 1)

        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        for r in Self.sample.results { #expect(html.contains("href=\"\(r.log)\""), "\(r.id) links to its log") }
        #expect(html.contains("class=\"stricter-than-npm\"") && html.contains("class=\"deviation\"") && html.contains("class=\"pass\""))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"), "self-contained")

        let md = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(md.contains("## Deviations (1)") && md.contains("tampered-tarball.basic.vi-audit"))
        #expect(md.contains("`table-not-run` | 9"))
    }

    @Test func mergingShardsRefusesDuplicatesAndKeepsEveryCell() throws {
        var first = Self.sample, second = Self.sample
        first.results = Array(Self.sample.results.prefix(2))
        second.results = Array(Self.sample.results.suffix(2))
        second.shard = "2/2"
        let merged = try MatrixReport.merge([second, first])
        #expect(merged.results.map(\.id) == Self.sample.results.map(\.id).sorted())
        #expect(merged.wallSeconds == 12)
        #expect(throws: MatrixError.self) { try MatrixReport.merge([Self.sample, Self.sample]) }
        #expect(throws: MatrixError.self) { try MatrixReport.merge([]) }
    }

    @Test func theBaselineFlagsVerdictChangesAndDoubledTimes() {
        let now = [Self.result(Self.cell(nil, .install), .pass, seconds: 7),
                   Self.result(Self.cell("missing-signature", .install), .deviation, actual: "pass", seconds: 3),
                   Self.result(Self.cell(nil, .audit), .pass, seconds: 0.4),
                   Self.result(Self.cell(nil, .install, key: .rotated), .pass)]
        var before = Self.sample
        before.results = [Self.result(Self.cell(nil, .install), .pass, seconds: 3),
                          Self.result(Self.cell("missing-signature", .install), .stricter, actual: "exit 1", seconds: 3),
                          Self.result(Self.cell(nil, .audit), .pass, seconds: 0.1)]
        let flags = Baseline.compare(now, with: before)
        #expect(flags.contains { $0.id == now[0].id && $0.kind == .slower })
        #expect(flags.contains { $0.id == now[1].id && $0.kind == .verdictChanged })
        #expect(!flags.contains { $0.id == now[2].id }, "4x of 0.1 s is under the 1 s floor")
        #expect(flags.contains { $0.id == now[3].id && $0.kind == .new })
        #expect(flags.count == 3)
    }
}

/// Counts elements by name.
final class XMLCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
