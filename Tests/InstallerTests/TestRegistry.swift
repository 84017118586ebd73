import FixtureFaults
import FixtureRegistry
import FixtureTesting
import Foundation
import SafeJSON
import Tarball

/// A fixture registry on 127.0.0.1:0 with packages the test makes up, plus a temp project folder.
final class TestRegistry: Sendable {
    let storage: RegistryStorage
    let running: RunningRegistry
    let faults: FaultPlan
    let directory: URL

    var url: String { running.baseURL }

    /// Starts an empty registry (or one seeded from the repository's `Registry/packages`).
    static func start(seeded: Bool = false, pathPrefix: String = "/") async throws -> TestRegistry {
        let directory = try Scratch.folder("registry")
        let storage = try RegistryStorage(directory: directory.appendingPathComponent("storage"),
                                          config: try RegistryConfig.load(from: Repository.registryConfig))
        if seeded { _ = try SeedLoader(directory: Repository.seedPackages).load(into: storage) }
        let faults = FaultPlan()
        let running = try await FixtureRegistryServer.start(storage: storage, pathPrefix: pathPrefix, faults: faults)
        return TestRegistry(storage: storage, running: running, faults: faults, directory: directory)
    }

    private init(storage: RegistryStorage, running: RunningRegistry, faults: FaultPlan, directory: URL) {
        self.storage = storage
        self.running = running
        self.directory = directory
        self.faults = faults
    }

    /// Publishes `name@version` with a tiny real package (package.json + index.js) and dependencies.
    func publish(_ name: String, _ version: String, dependencies: [String: String] = [:],
                 extra: [String: JSONValue] = [:], tags: [String] = ["latest"], files more: [PackFile] = []) throws {
        var manifest: [String: JSONValue] = [
            "name": .string(name), "version": .string(version), "main": "index.js", "license": "MIT",
        ]
        if !dependencies.isEmpty { manifest["dependencies"] = .object(dependencies.mapValues { .string($0) }) }
        for (key, value) in extra { manifest[key] = value }
        let json = JSONValue.object(manifest)
        let files = [
            PackFile(path: "package.json", contents: try json.serialized(pretty: true)),
            PackFile(path: "index.js", contents: Data("module.exports = \(OrderedJSONWriter.quote("\(name)@\(version)"));\n".utf8)),
        ]
        try storage.addVersion(manifest: json, tarball: try TarballPacker.pack(files: files + more), tags: tags)
    }

    func stop() async {
        await running.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

extension TestRegistry {
    /// Runs `body` with a started registry and always stops it.
    static func with<T>(seeded: Bool = false, pathPrefix: String = "/", _ body: (TestRegistry) async throws -> T) async throws -> T {
        let registry = try await start(seeded: seeded, pathPrefix: pathPrefix)
        do {
            let result = try await body(registry)
            await registry.stop()
            return result
        } catch {
            await registry.stop()
            throw error
        }
    }
}
