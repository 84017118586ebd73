import CurlTransport
import FixtureTesting
import Foundation
import Installer
import NpmModel
import RegistryClient
import SafeJSON
import Testing
@testable import FixtureRegistry

/// 50 real installs (our Installer: packuments, tarballs, integrity, registry signatures)
/// while 10 publishes land on one package: no error, no lost version.
@Suite("Concurrency: 50 installs and 10 publishes at once")
struct ConcurrentLoadTests {
    static let installs = 50
    static let publishes = 10

    @Test(.timeLimit(.minutes(5)))
    func fiftyInstallsAndTenPublishesTogether() async throws {
        try await withScratch { folder in
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"), config: testConfig)
            try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let token = try storage.tokens.mint(user: "alice")
            let registry = try await FixtureRegistryServer.start(storage: storage)
            let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            let publisher = try CurlClient()
            defer {
                transport.shutdown()
                publisher.shutdown()
            }
            let start = ContinuousClock.now
            let results = await withTaskGroup(of: String?.self) { group in
                for index in 0..<Self.installs {
                    group.addTask {
                        do {
                            let project = folder.appendingPathComponent("project-\(index)")
                            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
                            try Data(#"{"name":"load-\#(index)","version":"1.0.0","dependencies":{"@mochi/example":"^1.0.0"}}"#.utf8)
                                .write(to: project.appendingPathComponent("package.json"))
                            let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.baseURL), transport: transport)
                            let installer = Installer(client: client, cache: ContentCache(root: folder.appendingPathComponent("cache-\(index)")))
                            let report = try await installer.install(prefix: project, specs: [])
                            let names = Set(report.packages.map { "\($0.name)@\($0.version)" })
                            guard names == ["@mochi/example@1.1.0", "@mochi/runtime@1.2.0"],
                                  report.verified.registrySignatures == 2 else { return "install \(index): \(names) \(report.verified)" }
                            return nil
                        } catch {
                            return "install \(index): \(error)"
                        }
                    }
                }
                for minor in 0..<Self.publishes {
                    group.addTask {
                        do {
                            let (manifest, tarball) = try makePackage("under-load", "1.\(minor).0")
                            let body = try NpmPublishBody.make(manifest: manifest.objectValue ?? [:], tarball: tarball, tags: ["latest"])
                            let response = try await publisher.send("PUT", registry.url("under-load"), token: token, json: .object(body))
                            return response.status == 201 ? nil : "publish 1.\(minor).0: HTTP \(response.status)"
                        } catch {
                            return "publish 1.\(minor).0: \(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            let elapsed = ContinuousClock.now - start
            let packument = try await publisher.get(registry.url("under-load"))
            let versions = try JSONValue.parse(packument.body)["versions"]?.objectValue ?? [:]
            await registry.stop()

            #expect(results.isEmpty, "\(results.prefix(5))")
            #expect(Set(versions.keys) == Set((0..<Self.publishes).map { "1.\($0).0" }), "lost versions: \(versions.keys.sorted())")
            print("concurrency: installs=\(Self.installs) publishes=\(Self.publishes) errors=\(results.count) "
                  + "versions stored=\(versions.count) lost=\(Self.publishes - versions.count) in \(elapsed)")
        }
    }
}
