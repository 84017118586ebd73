import Foundation
@testable import Matrix
import FixtureTesting
import Testing
import Yams

/// `.github/workflows/nightly.yml`: its triggers and sharding, and its shard command run here on a
/// one-cell share (the same `make matrix SHARD=…` line, with the executables this build made).
@Suite struct NightlyWorkflowTests {
    static let workflowFile = Repository.root.appendingPathComponent(".github/workflows/nightly.yml")

    static func workflow() throws -> [String: Any] {
        let text = try String(contentsOf: workflowFile, encoding: .utf8)
        // YAML 1.1 may read the key `on` as the boolean true: keys are taken as their text.
        let top = try #require(try Yams.load(yaml: text) as? [AnyHashable: Any])
        return Dictionary(top.map { ("\($0.key.base)", $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    static func shardJob() throws -> [String: Any] {
        let jobs = try #require(try workflow()["jobs"] as? [String: Any])
        return try #require(jobs["shard"] as? [String: Any])
    }

    /// The `make matrix …` line of the shard job.
    static func shardCommand() throws -> String {
        let steps = try #require(try shardJob()["steps"] as? [[String: Any]])
        let runs = steps.compactMap { $0["run"] as? String }.filter { $0.contains("make matrix ") }
        return try #require(runs.first, "no `make matrix` step in the shard job").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func triggersShardsAndMerges() throws {
        let workflow = try Self.workflow()
        let triggers = try #require((workflow["on"] ?? workflow["true"]) as? [String: Any])
        #expect(triggers["schedule"] != nil && triggers.keys.contains("workflow_dispatch"))
        let job = try Self.shardJob()
        let strategy = try #require(job["strategy"] as? [String: Any])
        #expect(strategy["fail-fast"] as? Bool == false)
        let shards = try #require((strategy["matrix"] as? [String: Any])?["shard"] as? [Int])
        let declared = try #require((workflow["env"] as? [String: Any])?["MATRIX_SHARDS"] as? Int)
        #expect(shards == Array(1...declared), "the shard list must be 1...MATRIX_SHARDS so the shares cover the matrix")
        let command = try Self.shardCommand()
        #expect(command.contains("SHARD=${{ matrix.shard }}/${{ env.MATRIX_SHARDS }}"))
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let merge = try #require(jobs["merge"] as? [String: Any])
        #expect(merge["needs"] as? String == "shard" && merge["if"] as? String == "always()")
        let text = try String(contentsOf: Self.workflowFile, encoding: .utf8)
        #expect(text.contains("make matrix-merge") && text.contains("actions/upload-artifact"))
    }

    @Test(.timeLimit(.minutes(5)))
    func theShardCommandRunsHereOnAOneCellShare() async throws {
        let plan = try MatrixPlan.load(repository: Repository.root)
        let target = "none.basic.vi-install.v0.3-dsse.current.rekor-v1"
        let index = try #require(plan.cells.firstIndex { $0.cell.id == target }) + 1
        let bin = try Products.directory
        for tool in ["mochi-matrix", "verify-install"] {
            try #require(FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent(tool).path),
                         "expected \(tool) in \(bin.path) (swift build first)")
        }
        let report = try Scratch.folder("matrix-tests-workflow")
        defer { Scratch.remove(report) }
        let command = try Self.shardCommand()
            .replacingOccurrences(of: "${{ matrix.shard }}", with: "\(index)")
            .replacingOccurrences(of: "${{ env.MATRIX_SHARDS }}", with: "\(plan.cells.count)")
        let words = command.split(separator: " ").map(String.init)
        try #require(words.first == "make")
        let make = try #require(ProcessRunner.which("make"), "make is not on PATH")
        // The lead's Makefile includes scripts/matrix.mk; the fragment alone defines the same target.
        let arguments = ["-f", "scripts/matrix.mk"] + words.dropFirst() +
            ["MATRIX_REPORT=\(report.path)", "MATRIX_SKIP_BUILD=1", "BIN=\(bin.path)"]
        let result = try await ProcessRunner.run(make, arguments, in: Repository.root)
        #expect(result.status == 0, "make \(arguments.joined(separator: " ")):\n\(result.stdout)\n\(result.stderr)")
        let json = try JSONDecoder().decode(MatrixReport.self, from: Data(contentsOf: report.appendingPathComponent("matrix.json")))
        #expect(json.results.map(\.id) == [target] && json.results.first?.outcome == .pass, "\(json.results)")
        for file in ["junit.xml", "summary.md", "index.html", "logs/\(target).log"] {
            #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(file).path), "\(file)")
        }
    }
}
