import ArgumentParser
import FixtureRegistry
import Foundation
import FixtureLayout

/// `fixture-registry seed`: publish the seed packages into a storage folder through the publish path.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Publish the seed packages into a storage folder, through the registry's publish checks.",
        discussion: """
            Each seed version is packed, wrapped in the body `npm publish` sends and published as \
            \(SeedLoader.publisher) (integrity, shasum, semver and duplicate checks, registry \
            signature); versions already stored are skipped. Prints one line per package.
            """
    )

    @Option(help: ArgumentHelp("The registry's storage folder (created when missing).", valueName: "dir"))
    var storage: String

    @Option(help: ArgumentHelp("Seed packages (default: $MOCHI_REGISTRY_SEED, else the repository's Registry/packages).",
                               valueName: "dir"))
    var seed: String?

    func run() throws {
        do {
            let store = try CommandPaths.storage(storage)
            let loader = SeedLoader(directory: CommandPaths.folder(seed, else: \.seed))
            for package in try loader.load(into: store) {
                print("\(package.name): \(package.versions.joined(separator: ", "))")
            }
        } catch {
            FileHandle.standardError.write(Data("fixture-registry seed: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
