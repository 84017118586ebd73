import FixtureTesting
import Foundation
import Testing

/// Every command's `--help`, compared with the snapshot in `HelpSnapshots/`: a changed option,
/// default or exit-code line shows up as a diff in review. `UPDATE_HELP_SNAPSHOTS=1` rewrites them.
@Suite struct HelpSnapshotTests {
    /// A built product and the subcommand path whose help is snapshotted.
    struct Command: CustomTestStringConvertible, Sendable {
        let product: String
        let subcommands: [String]

        var testDescription: String { ([product] + subcommands).joined(separator: " ") }
        /// `verify-install-audit.txt`, `mochi-pkg.txt`...
        var snapshotName: String { ([product] + subcommands).joined(separator: "-") + ".txt" }
    }

    static let commands: [Command] =
        commands("verify-install", ["install", "ci", "resolve", "verify-bundle", "verify-attestations", "audit", "verify-lockfile"])
        + commands("mochi-pkg", ["publish"])
        + commands("fixture-registry", ["serve", "generate", "seed", "token", "rotate-key", "record"])
        + commands("mochi-matrix", ["run", "list", "merge"])

    static func commands(_ product: String, _ subcommands: [String]) -> [Command] {
        [Command(product: product, subcommands: [])] + subcommands.map { Command(product: product, subcommands: [$0]) }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HelpSnapshots")

    @Test(arguments: commands)
    func helpMatchesSnapshot(_ command: Command) async throws {
        let result = try await ProcessRunner.run(try Products.executable(command.product), command.subcommands + ["--help"],
                                                 environment: ["COLUMNS": "100"], isolatedHome: true)
        #expect(result.status == 0, "\(command.testDescription) --help: exit \(result.status), stderr: \(result.stderr)")
        let actual = result.stdout.replacingOccurrences(of: Repository.root.path, with: "<repository>")
        let file = Self.folder.appendingPathComponent(command.snapshotName)
        if ProcessInfo.processInfo.environment["UPDATE_HELP_SNAPSHOTS"] == "1" {
            try Data(actual.utf8).write(to: file)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.path): run with UPDATE_HELP_SNAPSHOTS=1 to write it")
            return
        }
        if actual != expected {
            Issue.record("\(command.testDescription) --help differs from \(file.path) (UPDATE_HELP_SNAPSHOTS=1 rewrites it):\n\(Self.diff(expected, actual))")
        }
    }

    /// The lines the snapshot lacks (`+`) and has in excess (`-`), with 1-based line numbers.
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        return new.difference(from: old).map { change in
            switch change {
            case .remove(let offset, let line, _): "-\(offset + 1): \(line)"
            case .insert(let offset, let line, _): "+\(offset + 1): \(line)"
            }
        }.joined(separator: "\n")
    }
}
