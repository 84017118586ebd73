import FixtureTesting
import CurlTransport
import Foundation
import Installer
import NpmModel
import RegistryClient
import SafeJSON
import Testing

/// Registry signatures (`dist.signatures` against `/-/npm/v1/keys`) are checked before anything is placed.
@Suite struct RegistrySignatureTests {
    func install(_ registry: TestRegistry, _ project: TestProject,
                 rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data)) async throws -> InstallReport {
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url),
                                    transport: TamperingTransport(inner: curl, rewrite: rewrite))
        return try await Installer(client: client, cache: ContentCache(root: project.cache)).install(prefix: project.directory, specs: [])
    }

    static func isExamplePackument(_ url: String) -> Bool { url.hasSuffix("/@mochi%2fexample") }

    @Test func everyPackageFromTheFixtureRegistryHasAVerifiedSignature() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let report = try await install(registry, project) { ($1, $2) }
            #expect(report.verified.registrySignatures == report.packages.count)
            #expect(report.verified.unsignedRegistry == 0)
        }
    }

    @Test func signatureOfAnotherVersionIsRejectedAndNothingIsPlaced() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let error = await #expect(throws: InstallError.self) {
                try await install(registry, project) { url, status, body in
                    guard Self.isExamplePackument(url), let json = try? JSONValue.parse(body),
                          let other = json["versions"]?["1.0.0"]?["dist"]?["signatures"] else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.1.0") { $0["signatures"] = other })
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/example@1.1.0") == true)
            #expect(error?.message.contains("does not verify") == true)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func missingSignatureIsRejectedWhenTheRegistryPublishesKeys() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let error = await #expect(throws: InstallError.self) {
                try await install(registry, project) { url, status, body in
                    guard Self.isExamplePackument(url) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.1.0") { $0["signatures"] = nil })
                }
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("no registry signature") == true)
        }
    }

    @Test func signatureByAnUnknownKeyIsRejected() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let error = await #expect(throws: InstallError.self) {
                try await install(registry, project) { url, status, body in
                    guard Self.isExamplePackument(url) else { return (status, body) }
                    return (status, TamperingTransport.editDist(body, version: "1.1.0") { dist in
                        guard case .array(let signatures)? = dist["signatures"], case .object(var first)? = signatures.first else { return }
                        first["keyid"] = "SHA256:not-a-registry-key"
                        dist["signatures"] = .array([.object(first)])
                    })
                }
            }
            #expect(error?.message.contains("SHA256:not-a-registry-key") == true)
        }
    }

    @Test func registryWithoutKeysIsReportedNotFailed() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let report = try await install(registry, project) { url, status, body in
                url.hasSuffix("/-/npm/v1/keys") ? (404, Data(#"{"error":"Not found"}"#.utf8)) : (status, body)
            }
            #expect(report.verified.registrySignatures == 0)
            #expect(report.verified.unsignedRegistry == report.packages.count)
        }
    }
}
