import ArgumentParser
import FixtureRegistry
import Foundation
import SafeJSON

/// `fixture-registry generate`: a synthetic registry of N packages for the benchmark.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic registry of N packages (and a consumer project that needs them all).",
        discussion: """
            Each package has versions 1.0.0, 2.0.0 and 2.1.0, up to three caret dependencies on \
            later packages (one in eight on the older major, so some installs nest) and a few \
            small files. The graph is deterministic for a given --seed. Serve it with:

              fixture-registry generate --packages 1000 --storage /tmp/bench --consumer /tmp/app
              fixture-registry serve --storage /tmp/bench --no-seed
            """
    )

    @Option(help: "How many packages.")
    var packages: Int = 1000

    @Option(help: ArgumentHelp("Storage folder to create (must not hold these packages yet).", valueName: "dir"))
    var storage: String

    @Option(help: ArgumentHelp("Folder for a consumer package.json depending on the graph's roots.", valueName: "dir"))
    var consumer: String?

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (1...100_000).contains(packages) else { throw ValidationError("--packages must be 1...100000, got \(packages)") }
    }

    func run() throws {
        let store = try RegistryStorage(directory: URL(fileURLWithPath: storage, isDirectory: true))
        let roots = try SyntheticRegistry(count: packages, seed: seed).generate(into: store)
        if let consumer {
            let directory = URL(fileURLWithPath: consumer, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let manifest: JSONValue = .object([
                "name": "bench-consumer", "version": "1.0.0", "private": true,
                "dependencies": .object(roots.mapValues { .string($0) }),
            ])
            try manifest.serialized(pretty: true).write(to: directory.appendingPathComponent("package.json"))
        }
        print("generated \(packages) packages (\(roots.count) roots) in \(store.directory.path)")
    }
}
