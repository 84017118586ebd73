import CurlTransport
import Foundation
import Installer
import RegistryClient
import SafeJSON
import Semver
import Testing

/// Like npm, the resolver prefers versions whose `engines` admit the node and npm it installs for:
/// `latest` with `engines.node: "<10"` loses to the newest version without that refusal.
@Suite struct EngineChoiceTests {
    @Test func aVersionWhoseEnginesRefuseThisNodeLosesAsInNpm() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("eng", "1.0.0")
            try registry.publish("eng", "1.1.0")
            try registry.publish("eng", "2.0.0", extra: ["engines": ["node": "<10"]])
            for (node, expected) in [("20.20.2", "1.1.0"), ("8.0.0", "2.0.0")] {
                let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"eng":"*"}}"#)
                defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
                let transport = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
                defer { transport.shutdown() }
                let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: transport)
                let report = try await Installer(client: client, cache: ContentCache(root: project.cache),
                                                 engines: EngineVersions(node: node, npm: "10.8.2"))
                    .install(prefix: project.directory, specs: [])
                #expect(report.packages.map(\.version) == [expected], "node \(node)")
            }
        }
    }
}
