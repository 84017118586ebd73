import CurlTransport
import FixtureRegistry
import FixtureTesting
import Foundation
import Installer
import RegistryClient
import SafeJSON

/// The seeded fixture registry on 127.0.0.1:0 and a copy of a consumer fixture installed
/// from it by our installer: the tree `verify-install audit` and `npm audit signatures` read.
/// (Not `Harness.FixtureWorld`, the whole loopback world with Sigstore: just registry + tree.)
///
/// To falsify what the registry says after the install, ``mirror(_:)`` serves a copy of the
/// registry's real, signed answers (keys and full packuments) from a ``StaticRegistry`` with
/// edits applied, so our audit and the real npm read exactly the same altered bytes.
struct InstalledFixture {
    let registry: RunningRegistry
    let scratch: ScratchTree
    var project: URL { scratch.url.appendingPathComponent("app") }
    /// Names of the seed packages an install of `basic` places.
    static let installedNames = ["@mochi/example", "@mochi/runtime"]

    /// Starts the registry and installs `ConsumerFixtures/<fixture>` into a temporary folder.
    static func installed(_ fixture: String = "basic") async throws -> InstalledFixture {
        let scratch = try ScratchTree("world")
        let storage = try RegistryStorage(directory: scratch.url.appendingPathComponent("storage"),
                                          config: try RegistryConfig.load(from: Repository.registryConfig))
        _ = try SeedLoader(directory: Repository.seedPackages).load(into: storage)
        let registry = try await FixtureRegistryServer.start(storage: storage)
        let world = InstalledFixture(registry: registry, scratch: scratch)
        do {
            try FileManager.default.copyItem(at: Repository.consumerFixture(fixture), to: world.project)
            let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { transport.shutdown() }
            let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.baseURL), transport: transport)
            let installer = Installer(client: client, cache: ContentCache(root: scratch.url.appendingPathComponent("cache")))
            _ = try await installer.install(prefix: world.project, specs: [])
        } catch {
            await world.stop()
            throw error
        }
        return world
    }

    func stop() async {
        await registry.stop()
        scratch.remove()
    }

    /// Runs `body` with an installed world and always stops it.
    static func with<T>(_ fixture: String = "basic", _ body: (InstalledFixture) async throws -> T) async throws -> T {
        let world = try await installed(fixture)
        do {
            let result = try await body(world)
            await world.stop()
            return result
        } catch {
            await world.stop()
            throw error
        }
    }

    // MARK: - Falsified copies

    /// The registry's answers as served: `keys` and each installed package's full packument.
    struct Answers {
        var keys: JSONValue
        var packuments: [String: JSONValue]

        /// Edits `dist` of `name@version`.
        mutating func editDist(_ name: String, _ version: String, _ edit: (inout [String: JSONValue]) -> Void) {
            guard case .object(var dist)? = packuments[name]?["versions"]?[version]?["dist"] else { return }
            edit(&dist)
            packuments[name]?.set(["versions", version, "dist"], .object(dist))
        }
    }

    /// A loopback copy of the registry's answers after `edit`; keys or a packument set to `.null` answer 404.
    func mirror(_ edit: (inout Answers) throws -> Void) async throws -> StaticRegistry {
        let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { transport.shutdown() }
        func get(_ path: String) async throws -> JSONValue {
            let response = try await transport.send(HTTPRequest(url: registry.baseURL + path, headers: [("Accept", "application/json")]), digest: nil)
            return try JSONValue.parse(response.body)
        }
        var answers = Answers(keys: try await get("-/npm/v1/keys"), packuments: [:])
        for name in Self.installedNames { answers.packuments[name] = try await get(name.replacingOccurrences(of: "/", with: "%2f")) }
        try edit(&answers)
        var documents: [String: Data] = [:]
        if answers.keys != .null { documents["/-/npm/v1/keys"] = try answers.keys.serialized() }
        for (name, packument) in answers.packuments where packument != .null {
            let body = try packument.serialized()
            for escaped in ["%2f", "%2F"] { documents["/" + name.replacingOccurrences(of: "/", with: escaped)] = body }
        }
        return try await StaticRegistry.start(documents)
    }
}
