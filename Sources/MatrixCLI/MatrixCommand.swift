import ArgumentParser
import Foundation
import Matrix

/// `mochi-matrix`: the nightly regression matrix (scenario × fixture × client × bundle shape × key state × log version).
@main
struct MatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mochi-matrix",
        abstract: "Runs the regression matrix and writes JUnit XML, Markdown, HTML and JSON reports.",
        subcommands: [RunCommand.self, ListCommand.self, MergeCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// Options shared by `run` and `list`: which repository and which share of the matrix.
struct PlanOptions: ParsableArguments {
    @Option(help: "The repository root (Registry/scenarios, ConsumerFixtures).")
    var repository: String = MatrixPaths.defaultRepository.path

    @Option(help: "Run the deterministic share i/N of the matrix (1 <= i <= N).")
    var shard: String = "1/1"

    @Option(help: "Only cells whose id contains this text.")
    var filter: String?

    func plan() throws -> (MatrixPlan, Shard, [MatrixPlan.Planned]) {
        let shard: Shard
        do { shard = try Shard(parsing: self.shard) } catch { throw ValidationError(error.description) }
        let plan = try MatrixPlan.load(repository: URL(fileURLWithPath: repository))
        var cells = plan.cells(in: shard)
        if let filter { cells = cells.filter { $0.cell.id.contains(filter) } }
        return (plan, shard, cells)
    }
}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Prints the ids of the cells of a shard, one a line.")
    @OptionGroup var plan: PlanOptions
    @Flag(help: "Also print the excluded combinations and the rule that excludes each.")
    var excluded = false

    func run() async throws {
        let (plan, _, cells) = try self.plan.plan()
        for planned in cells { print("\(planned.cell.id)\t\(planned.expected)") }
        if excluded { for (cell, rule) in plan.excluded { print("excluded\t\(cell.id)\t\(rule)") } }
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Runs the cells of a shard; exits 1 when any deviates.")
    @OptionGroup var plan: PlanOptions

    @Option(help: "The report folder (matrix.json, junit.xml, summary.md, index.html, logs/).")
    var report: String = "matrix-report"

    @Option(help: "An earlier matrix.json: flag cells whose verdict changed or whose time more than doubled.")
    var baseline: String?

    @Option(help: "Cells run at once (each starts its own fixture world).")
    var jobs: Int = 2

    @Option(help: "The verify-install executable (default: beside mochi-matrix).")
    var verifyInstall: String?

    @Option(help: "Seconds before a client is terminated.")
    var timeout: Double = 240

    func validate() throws {
        guard (1...16).contains(jobs) else { throw ValidationError("--jobs: expected 1...16, found \(jobs)") }
    }

    func run() async throws {
        let (plan, shard, cells) = try self.plan.plan()
        let verify = URL(fileURLWithPath: verifyInstall ?? MatrixPaths.besideExecutable("verify-install").path)
        guard FileManager.default.isExecutableFile(atPath: verify.path) else {
            throw ValidationError("--verify-install: expected an executable at \(verify.path), found none (swift build first)")
        }
        let folder = URL(fileURLWithPath: report)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mochi-matrix-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let environment = MatrixEnvironment(repository: URL(fileURLWithPath: self.plan.repository), verifyInstall: verify,
                                            scratch: scratch, clientTimeout: timeout)
        let baselineReport = try baseline.map { try Baseline.load(URL(fileURLWithPath: $0)) }
        print("mochi-matrix: shard \(shard): \(cells.count) of \(plan.cells.count) cells, \(jobs) at a time; reports in \(folder.path)")
        let started = Date(), clock = ContinuousClock.now
        let results = try await MatrixRunner(environment: environment, jobs: jobs).run(cells, logs: folder.appendingPathComponent("logs")) {
            result, done, total in
            print("[\(done)/\(total)] \(result.outcome.rawValue) \(result.id) (\(String(format: "%.1f", result.seconds)) s)")
        }
        var report = MatrixReport(shard: shard.description, totalCells: plan.cells.count, excludedCells: plan.excluded.count,
                                  exclusions: Dictionary(plan.excluded.map { ($0.rule, 1) }, uniquingKeysWith: +),
                                  startedAt: ISO8601DateFormatter().string(from: started),
                                  wallSeconds: (ContinuousClock.now - clock) / .seconds(1), results: results)
        if let baselineReport { report.baselineFlags = Baseline.compare(results, with: baselineReport) }
        try ReportWriter.write(report, to: folder)
        for flag in report.baselineFlags { print("baseline: \(flag.id) \(flag.kind.rawValue): \(flag.detail)") }
        let deviations = report.deviations
        print("mochi-matrix: \(results.count) cells, \(deviations.count) deviation(s), \(String(format: "%.0f", report.wallSeconds)) s; \(folder.path)/index.html")
        if !deviations.isEmpty { throw ExitCode(1) }
    }
}

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merges shard report folders into one report; exits 1 when any cell deviates.")

    @Option(help: "The merged report folder.")
    var report: String = "matrix-report"

    @Option(help: "An earlier matrix.json to compare the merged results with.")
    var baseline: String?

    @Argument(help: "Shard report folders (each with matrix.json and logs/).")
    var shards: [String]

    func run() async throws {
        guard !shards.isEmpty else { throw ValidationError("expected at least one shard report folder") }
        let folder = URL(fileURLWithPath: report)
        let logs = folder.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        var reports: [MatrixReport] = []
        for shard in shards {
            let dir = URL(fileURLWithPath: shard)
            reports.append(try Baseline.load(dir.appendingPathComponent("matrix.json")))
            let shardLogs = dir.appendingPathComponent("logs")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: shardLogs.path)) ?? [] {
                let target = logs.appendingPathComponent(name)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: shardLogs.appendingPathComponent(name), to: target)
            }
        }
        var merged = try MatrixReport.merge(reports)
        if let baseline { merged.baselineFlags = Baseline.compare(merged.results, with: try Baseline.load(URL(fileURLWithPath: baseline))) }
        try ReportWriter.write(merged, to: folder)
        print("mochi-matrix merge: \(reports.count) shard(s), \(merged.results.count) of \(merged.totalCells) cells, \(merged.deviations.count) deviation(s)")
        if merged.results.count != merged.totalCells {
            print("mochi-matrix merge: warning: expected \(merged.totalCells) cells, found \(merged.results.count) (a shard is missing or filtered)")
        }
        if !merged.deviations.isEmpty { throw ExitCode(1) }
    }
}

/// Where the CLI finds the repository and its sibling executables.
enum MatrixPaths {
    static var defaultRepository: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func besideExecutable(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name)
    }
}
