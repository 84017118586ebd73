import CurlTransport
import FixtureTesting
import Foundation
import Semver
import Installer
import NpmModel
import RegistryClient
import SafeJSON

/// A consumer project folder in /tmp with its own cache, installed through the library.
struct TestProject {
    let directory: URL
    let cache: URL

    init(packageJSON: String? = nil, copying fixture: String? = nil) throws {
        let root = try Scratch.folder("project")
        directory = root.appendingPathComponent("app")
        cache = root.appendingPathComponent("cache")
        if let fixture {
            try FileManager.default.copyItem(at: Repository.consumerFixture(fixture), to: directory)
        } else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        if let packageJSON {
            try Data(packageJSON.utf8).write(to: directory.appendingPathComponent("package.json"))
        }
    }

    func installer(_ registry: TestRegistry, retry: RetryPolicy = .init(maxAttempts: 3, initialDelay: .milliseconds(10)),
                   scope: InstallScope = InstallScope()) throws -> (Installer, CurlHTTPClient) {
        let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: retry))
        var configuration = RegistryConfiguration(registry: registry.url)
        configuration.installScope = scope
        let client = RegistryClient(configuration: configuration, transport: transport)
        return (Installer(client: client, cache: ContentCache(root: cache)), transport)
    }

    /// An installer for the registry at `url` with `settings` (trust, requirements).
    func installer(worldRegistry url: String, settings: ProvenanceSettings) throws -> (Installer, CurlHTTPClient) {
        let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        let client = RegistryClient(configuration: RegistryConfiguration(registry: url), transport: transport)
        return (Installer(client: client, cache: ContentCache(root: cache), provenance: settings), transport)
    }

    @discardableResult
    func install(_ registry: TestRegistry, _ specs: String..., scope: InstallScope = InstallScope()) async throws -> InstallReport {
        let (installer, transport) = try installer(registry, scope: scope)
        defer { transport.shutdown() }
        return try await installer.install(prefix: directory, specs: try specs.map { try PackageSpec(parsing: $0) })
    }

    @discardableResult
    func ci(_ registry: TestRegistry, engines: EngineVersions = .unknown, scope: InstallScope = InstallScope()) async throws -> InstallReport {
        let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .init(maxAttempts: 3, initialDelay: .milliseconds(10))))
        defer { transport.shutdown() }
        var configuration = RegistryConfiguration(registry: registry.url)
        configuration.installScope = scope
        let client = RegistryClient(configuration: configuration, transport: transport)
        return try await Installer(client: client, cache: ContentCache(root: cache), engines: engines).ci(prefix: directory)
    }

    /// The `version` of the package.json at `path` (e.g. `node_modules/a/node_modules/b`).
    func installedVersion(_ path: String) -> String? {
        let file = directory.appendingPathComponent(path).appendingPathComponent("package.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return (try? JSONValue.parse(data))?["version"]?.stringValue
    }

    func lockfile() throws -> Lockfile {
        let file = directory.appendingPathComponent("package-lock.json")
        return try Lockfile(data: try Data(contentsOf: file), file: file.path)
    }

    /// A listing of every file under node_modules with its size, to prove a failed install changed nothing.
    func snapshot() -> [String] {
        let root = directory.appendingPathComponent("node_modules")
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.sorted().map { path in
            let size = (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)[.size] as? Int) ?? -1
            return "\(path) \(size)"
        }
    }
}
