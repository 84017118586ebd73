import CurlTransport
import FixtureTesting
import Foundation
import Installer
import NpmModel
import RegistryClient
import SafeJSON
@testable import FixtureFaults
@testable import FixtureRegistry

/// A live registry with its control port: the seeds, plus `@scope/attested` 1.0.0 and 1.1.0
/// published with provenance (so that attestation scenarios have something to break).
func withScenarioRegistry<T: Sendable>(
    _ body: @escaping @Sendable (RunningRegistry, CurlClient) async throws -> T
) async throws -> T {
    try await withScratch { folder in
        let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"), config: testConfig)
        try SeedLoader(directory: Repository.seedPackages).load(into: storage)
        for version in ["1.0.0", "1.1.0"] {
            let (manifest, tarball) = try makePackage("@scope/attested", version, extra: AttestationTests.repositoryField)
            let publish = try publishBody("@scope/attested", version, tarball: tarball, manifest: manifest,
                                          provenance: try AttestationTests.provenance("@scope/attested", version, tarball: tarball))
            try storage.publish(body: publish.objectValue ?? [:], by: AuthenticatedUser(name: "alice"))
        }
        let faults = FaultPlan()
        let registry = try await FixtureRegistryServer.start(storage: storage, faults: faults,
                                                             control: AdminServer(faults: faults, scenarios: Repository.scenarios))
        let client = try CurlClient()
        do {
            let value = try await body(registry, client)
            client.shutdown()
            await registry.stop()
            return value
        } catch {
            client.shutdown()
            await registry.stop()
            throw error
        }
    }
}

extension CurlClient {
    /// `POST /scenario/<name>` on the control port; throws unless it answers 200.
    func activate(_ scenario: String, on registry: RunningRegistry) async throws {
        let admin = try adminURL(registry)
        let response = try await send("POST", admin + "scenario/\(scenario)")
        guard response.status == 200 else {
            throw ServeProcessError(message: "activating \(scenario): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    func adminURL(_ registry: RunningRegistry) throws -> String {
        guard let admin = registry.adminURL else { throw ServeProcessError(message: "the registry has no control port") }
        return admin
    }
}

/// What one install of the basic consumer came to.
struct InstallOutcome: Sendable {
    let result: Result<InstallReport, InstallError>
    /// Whether anything was placed in `node_modules`.
    let placed: Bool

    var error: InstallError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}

/// Installs a project needing `@mochi/example@^1.0.0` (like `ConsumerFixtures/basic`) from `registry`
/// with our Installer, in a temporary folder removed afterwards.
func installBasic(from registry: RunningRegistry, retry: RetryPolicy = .none,
                  transferTimeout: Duration = .seconds(60)) async throws -> InstallOutcome {
    let root = Scratch.path("scenario")
    defer { Scratch.remove(root) }
    let project = root.appendingPathComponent("app")
    try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    try Data(#"{"name":"scenario-consumer","version":"1.0.0","dependencies":{"@mochi/example":"^1.0.0"}}"#.utf8)
        .write(to: project.appendingPathComponent("package.json"))
    let transport = try CurlHTTPClient(configuration: TransportConfiguration(transferTimeout: transferTimeout, retry: retry))
    defer { transport.shutdown() }
    let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.baseURL), transport: transport)
    let installer = Installer(client: client, cache: ContentCache(root: root.appendingPathComponent("cache")))
    let result: Result<InstallReport, InstallError>
    do { result = .success(try await installer.install(prefix: project, specs: [])) } catch {
        result = .failure(InstallError.wrap(error))
    }
    let placed = FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi/example").path)
    return InstallOutcome(result: result, placed: placed)
}
