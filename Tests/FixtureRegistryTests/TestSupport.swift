import FixtureTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Synchronization
import Tarball
@testable import FixtureFaults
@testable import FixtureRegistry

// MARK: - Folders

/// Scratch folders: `withScratch { folder in … }` (FixtureTesting).

// MARK: - Registries

/// Storage in a temporary folder, seeded with `Registry/packages` unless `seeded` is false.
func makeStorage(in folder: URL, seeded: Bool = true) throws -> RegistryStorage {
    let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"),
                                      config: try RegistryConfig.load(from: Repository.registryConfig))
    if seeded { try SeedLoader(directory: Repository.seedPackages).load(into: storage) }
    return storage
}

/// Runs `body` against a live registry on 127.0.0.1 (port 0) with a connected HTTP client.
func withRegistry<T: Sendable>(
    seeded: Bool = true,
    prefix: String = "/",
    faults: FaultPlan? = nil,
    _ body: @escaping @Sendable (RunningRegistry, TestClient) async throws -> T
) async throws -> T {
    try await withScratch { folder in
        try await serve(try makeStorage(in: folder, seeded: seeded), prefix: prefix, faults: faults, body)
    }
}

/// Serves `storage` on 127.0.0.1:0, runs `body` with a connected client, and always stops the server.
func serve<T: Sendable>(
    _ storage: RegistryStorage,
    prefix: String = "/",
    faults: FaultPlan? = nil,
    _ body: @escaping @Sendable (RunningRegistry, TestClient) async throws -> T
) async throws -> T {
    let registry = try await FixtureRegistryServer.start(storage: storage, pathPrefix: prefix, faults: faults)
    do {
        let value = try await TestClient.withClient(host: "127.0.0.1", port: registry.port) { client in
            try await body(registry, client)
        }
        await registry.stop()
        return value
    } catch {
        await registry.stop()
        throw error
    }
}

// MARK: - Packages

/// A small real tarball for `name@version` (package.json + index.js), and its manifest.
func makePackage(_ name: String, _ version: String, dependencies: [String: String] = [:],
                 extra: [String: JSONValue] = [:]) throws -> (manifest: JSONValue, tarball: Data) {
    var fields: [String: JSONValue] = ["name": .string(name), "version": .string(version), "main": "index.js", "license": "MIT"]
    if !dependencies.isEmpty { fields["dependencies"] = .object(dependencies.mapValues { .string($0) }) }
    fields.merge(extra) { _, new in new }
    let manifest = JSONValue.object(fields)
    let tarball = try TarballPacker.pack(files: [
        PackFile(path: "package.json", contents: try manifest.serialized(pretty: true)),
        PackFile(path: "index.js", contents: Data("module.exports = \"\(name)@\(version)\";\n".utf8)),
    ])
    return (manifest, tarball)
}

// MARK: - Responses

extension TestClient.Response {
    /// The body as bytes.
    var data: Data { body.map { Data($0.readableBytesView) } ?? Data() }
    /// The body parsed as JSON.
    func json() throws -> JSONValue { try JSONValue.parse(data) }
}

extension TestResponse {
    var data: Data { Data(body.readableBytesView) }
    func json() throws -> JSONValue { try JSONValue.parse(data) }
}

extension JSONValue {
    /// Walks a path of object keys.
    subscript(path keys: String...) -> JSONValue? {
        keys.reduce(Optional(self)) { $0?[$1] }
    }
}

/// The Accept header pacote sends for the abbreviated packument.
let corgiAccept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"

// MARK: - Shared state

/// A value shared between concurrent test tasks, behind a lock (a class, so closures can capture it).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }

    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
