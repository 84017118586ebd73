public import Foundation

/// Runs a list of cells, at most `jobs` at a time, and writes each cell's log into `logs`.
public struct MatrixRunner: Sendable {
    let runner: CellRunner
    let jobs: Int

    public init(environment: MatrixEnvironment, jobs: Int) {
        self.runner = CellRunner(environment: environment)
        self.jobs = max(1, jobs)
    }

    /// Results in the order of `cells`; `progress` is called as each cell ends.
    public func run(_ cells: [MatrixPlan.Planned], logs: URL,
                    progress: @escaping @Sendable (CellResult, Int, Int) -> Void = { _, _, _ in }) async throws -> [CellResult] {
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let runner = runner
        var results = [CellResult?](repeating: nil, count: cells.count)
        var done = 0
        await withTaskGroup(of: (Int, CellResult).self) { group in
            var next = 0
            func submit() {
                guard next < cells.count else { return }
                let index = next, planned = cells[index]
                next += 1
                group.addTask {
                    let name = "logs/\(planned.cell.id).log"
                    return (index, await runner.run(planned, logFile: logs.appendingPathComponent("\(planned.cell.id).log"), logName: name))
                }
            }
            for _ in 0..<jobs { submit() }
            while let (index, result) = await group.next() {
                results[index] = result
                done += 1
                progress(result, done, cells.count)
                submit()
            }
        }
        return results.compactMap { $0 }
    }
}
