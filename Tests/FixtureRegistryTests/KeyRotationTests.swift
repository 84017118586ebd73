import FixtureTesting
import Foundation
import NpmModel
import NpmVerify
import SafeJSON
import Testing
@testable import FixtureRegistry
import CurlTransport

/// `fixture-registry rotate-key` on the folder of a running registry takes effect without a restart,
/// and the TEST-ONLY key in `Registry/keys` is used only when asked for.
@Suite("Key rotation while running; the test-only key")
struct KeyRotationTests {
    @Test
    func rotateKeyCommandIsPickedUpByARunningRegistry() async throws {
        let binary = try Products.executable("fixture-registry")
        try await withScratch { folder in
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"), config: testConfig)
            let token = try storage.tokens.mint(user: "alice")
            let registry = try await FixtureRegistryServer.start(storage: storage)
            let client = try CurlClient()
            defer { client.shutdown() }
            do {
                let old = storage.keyring.currentKeyID
                try await Self.publish("rotated", "1.0.0", token: token, registry: registry, client: client)

                let printed = try await OpenSSLWitness.run(binary, ["rotate-key", "--storage", storage.directory.path])
                let new = printed.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(new.hasPrefix("SHA256:") && new != old, "\(printed)")

                let keysBody = try await client.get(registry.url("-/npm/v1/keys")).body
                let keys = try JSONValue.parse(keysBody)["keys"]?.arrayValue ?? []
                #expect(keys.compactMap { $0["keyid"]?.stringValue } == [old, new], "the running registry lists the new key")
                #expect(keys.first?["expires"]?.stringValue != nil && keys.last?["expires"] == JSONValue.null)

                try await Self.publish("rotated", "1.1.0", token: token, registry: registry, client: client)
                let packument = try JSONValue.parse(try await client.get(registry.url("rotated")).body)
                #expect(packument[path: "versions", "1.0.0", "dist", "signatures"]?.arrayValue?.first?["keyid"]?.stringValue == old)
                #expect(packument[path: "versions", "1.1.0", "dist", "signatures"]?.arrayValue?.first?["keyid"]?.stringValue == new)

                // Both still verify with the consumer's verifier against the served keys.
                let verifier = RegistrySignatureVerifier(keys: try RegistryKey.parseRegistryKeys(keysBody))
                for version in ["1.0.0", "1.1.0"] {
                    let dist = try #require(packument[path: "versions", version, "dist"])
                    let signatures = try JSONDecoder().decode([RegistrySignature].self, from: try #require(dist["signatures"]).serialized())
                    let published = packument[path: "time", version]?.stringValue.flatMap(Self.date)
                    try verifier.verify(name: "rotated", version: version, integrity: dist["integrity"]?.stringValue ?? "",
                                        signatures: signatures, publishTime: published)
                }
            } catch {
                await registry.stop()
                throw error
            }
            await registry.stop()
        }
    }

    @Test func testKeyIsUsedOnlyWhenAsked() throws {
        let expected = try TestRegistryKey.keyID(from: testKeyFile)
        let readme = try String(contentsOf: Repository.registryKeys.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("TEST-ONLY") && readme.contains(expected), "the README labels the key and gives its id")
        try withScratch { folder in
            let pinned = try RegistryStorage(directory: folder.appendingPathComponent("a"), config: RegistryConfig(),
                                             signingKey: try TestRegistryKey.load(from: testKeyFile))
            #expect(pinned.keyring.currentKeyID == expected)
            let fresh = try RegistryStorage(directory: folder.appendingPathComponent("b"), config: RegistryConfig())
            #expect(fresh.keyring.currentKeyID != expected, "without asking, a storage makes its own key")
            // An existing keyring is never replaced by the test key.
            let reopened = try RegistryStorage(directory: folder.appendingPathComponent("b"), config: RegistryConfig(),
                                               signingKey: try TestRegistryKey.load(from: testKeyFile))
            #expect(reopened.keyring.currentKeyID == fresh.keyring.currentKeyID)
        }
    }

    // MARK: - Helpers

    static func publish(_ name: String, _ version: String, token: String, registry: RunningRegistry, client: CurlClient) async throws {
        let (manifest, tarball) = try makePackage(name, version)
        let body = try NpmPublishBody.make(manifest: manifest.objectValue ?? [:], tarball: tarball, tags: ["latest"])
        let response = try await client.send("PUT", registry.url(name), token: token, json: .object(body))
        try #require(response.status == 201, "publish \(name)@\(version): \(String(decoding: response.body, as: UTF8.self))")
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// The repository's TEST-ONLY registry key.
private let testKeyFile = Repository.registryKeys.appendingPathComponent(TestRegistryKey.fileName)
