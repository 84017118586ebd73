import ArgumentParser
import FixtureRegistry
import FixtureSigstore
import Foundation
import Harness
import SafeJSON

/// `fixture-registry generate`: a synthetic registry of N packages for the benchmark.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic registry of N packages (and a consumer project that needs them all).",
        discussion: """
            Each package has versions 1.0.0, 2.0.0 and 2.1.0, up to three caret dependencies on \
            later packages (one in eight on the older major, so some installs nest) and a few \
            small files. The graph is deterministic for a given --seed. Serve it with:

              fixture-registry generate --packages 1000 --storage /tmp/bench --consumer /tmp/app
              fixture-registry serve --storage /tmp/bench --no-seed

            Every version carries registry signatures. With --provenance every version is also \
            published as the trusted-publishing job of its repository (bench-org/pkg-NNNNN) would \
            publish it: a Fulcio certificate from the fixture world stored in <storage>/world, a \
            DSSE-signed SLSA v1 provenance statement logged in the world's Rekor, a v0.3 bundle, \
            and the registry's publish attestation, logged too. `serve --storage` then trusts that \
            world, so verify-install (--trusted-root <storage>/trusted_root.json) and \
            `npm audit signatures` (with the printed world.env) verify every attestation.
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

    @Flag(help: "Publish every version with a provenance attestation and the registry's publish attestation from the world in <storage>/world.")
    var provenance = false

    @Option(help: ArgumentHelp("Registry URL named by publish attestations (--provenance).", valueName: "url"))
    var registryURL = "http://127.0.0.1"

    func validate() throws {
        guard (1...100_000).contains(packages) else { throw ValidationError("--packages must be 1...100000, got \(packages)") }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: storage, isDirectory: true)
        let generator = SyntheticRegistry(count: packages, seed: seed)
        let start = Date()
        let roots: [String: String]
        if provenance {
            let world = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
            let store = try RegistryStorage(directory: folder, config: CommandPaths.accessConfig(), world: RegistryWorldLink(world: world))
            try world.trustedRootData().write(to: folder.appendingPathComponent("trusted_root.json"), options: .atomic)
            let publisher = InProcessTrustedPublisher(world: world, storage: store, registryURL: registryURL)
            let (versions, graphRoots) = try generator.versions()
            for item in versions {
                try await publisher.publish(name: item.name, version: item.version, manifest: item.manifest, tarball: item.tarball,
                                            tag: item.tags.first ?? "latest",
                                            job: WorldPublisher.job(forVersion: item.version, repository: generator.repository(item.index)))
            }
            roots = graphRoots
        } else {
            roots = try generator.generate(into: try RegistryStorage(directory: folder, config: CommandPaths.accessConfig()))
        }
        if let consumer {
            let directory = URL(fileURLWithPath: consumer, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let manifest: JSONValue = .object([
                "name": "bench-consumer", "version": "1.0.0", "private": true,
                "dependencies": .object(roots.mapValues { .string($0) }),
            ])
            try manifest.serialized(pretty: true).write(to: directory.appendingPathComponent("package.json"))
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
        print("generated \(packages) packages (\(roots.count) roots\(provenance ? ", with provenance" : "")) in \(folder.path) in \(seconds)s")
    }
}
