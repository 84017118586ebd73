import Crypto
import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry

#if canImport(Glibc)
import Glibc
import CurlTransport
#endif

/// The control port: scenarios switched while the registry runs, the request log, key rotation.
@Suite("Control port: live scenarios, request log, rotation")
struct AdminPortTests {
    static let tarball = "@mochi/runtime/-/runtime-1.2.0.tgz"

    static func sri(_ data: Data) -> String { "sha512-" + Data(SHA512.hash(data: data)).base64EncodedString() }

    @Test func scenariosSwitchLiveAndTheRequestLogRecordsEveryAnswer() async throws {
        try await withScenarioRegistry { registry, client in
            let admin = try client.adminURL(registry)
            #expect(admin.hasPrefix("http://127.0.0.1:") && !admin.hasSuffix(":\(registry.port)/"), "a separate loopback port: \(admin)")
            let integrity = try #require(try JSONValue.parse(try await client.get(registry.url("@mochi/runtime")).body)[
                path: "versions", "1.2.0", "dist", "integrity"]?.stringValue)
            #expect(Self.sri(try await client.get(registry.url(Self.tarball)).body) == integrity)

            try await client.activate("tampered-tarball", on: registry)
            #expect(Self.sri(try await client.get(registry.url(Self.tarball)).body) != integrity)
            let state = try JSONValue.parse(try await client.get(admin + "scenario").body)
            #expect(state["scenario"]?.stringValue == "tampered-tarball")
            #expect(state["available"]?.arrayValue?.contains("wrong-content-type") == true)

            try await client.activate("wrong-content-type", on: registry)
            let html = try await client.get(registry.url("@mochi/runtime"))
            #expect(html.headers["content-type"]?.hasPrefix("text/html") == true, "\(html.headers)")
            #expect(Self.sri(try await client.get(registry.url(Self.tarball)).body) == integrity, "the previous scenario is gone")

            #expect(try await client.send("DELETE", admin + "scenario").status == 200)
            #expect(try await client.get(registry.url("@mochi/runtime")).headers["content-type"] == "application/json")
            #expect(try await client.send("POST", admin + "scenario/no-such-scenario").status == 404)

            let log = try JSONValue.parse(try await client.get(admin + "requests").body)["requests"]?.arrayValue ?? []
            let tarballs = log.filter { $0["path"]?.stringValue == "/" + Self.tarball }
            #expect(tarballs.count == 3)
            #expect(tarballs.allSatisfy { $0["method"] == .string("GET") && $0["status"] == .number(200) && ($0["bytes"]?.numberValue ?? 0) > 0 && $0["ms"]?.numberValue != nil })
            #expect(tarballs.compactMap { $0["scenario"]?.stringValue } == ["tampered-tarball", "wrong-content-type"])
            #expect(try await client.send("DELETE", admin + "requests").status == 200)
            #expect(try JSONValue.parse(try await client.get(admin + "requests").body)["requests"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func rotateKeyOnTheControlPortSignsNewVersionsWithTheNewKey() async throws {
        try await withScenarioRegistry { registry, client in
            let before = registry.storage.keyring.currentKeyID
            let rotated = try JSONValue.parse(try await client.send("POST", try client.adminURL(registry) + "rotate-key").body)
            let keyid = try #require(rotated["keyid"]?.stringValue)
            #expect(keyid != before)
            let keys = try JSONValue.parse(try await client.get(registry.url("-/npm/v1/keys")).body)["keys"]?.arrayValue ?? []
            #expect(keys.compactMap { $0["keyid"]?.stringValue } == [before, keyid])
        }
    }

    @Test
    func serveWithAScenarioPrintsTheControlPortAndServesTheFault() async throws {
        let binary = try Products.executable("fixture-registry")
        try await withScratch { folder in
            let server = try await ServeProcess.start(binary, [
                "--storage", folder.appendingPathComponent("storage").path, "--seed", Repository.seedPackages.path,
                "--port", "0", "--scenario", "tampered-tarball", "--log-level", "warning",
            ], stderr: folder.appendingPathComponent("serve.log"))
            let client = try CurlClient()
            do {
                let admin = try #require(server.admin)
                let integrity = try JSONValue.parse(try await client.get(server.registry + "@mochi/runtime").body)[
                    path: "versions", "1.2.0", "dist", "integrity"]?.stringValue
                #expect(Self.sri(try await client.get(server.registry + Self.tarball).body) != integrity)
                #expect(try await client.send("DELETE", admin + "scenario").status == 200)
                #expect(Self.sri(try await client.get(server.registry + Self.tarball).body) == integrity)
                let log = try JSONValue.parse(try await client.get(admin + "requests").body)["requests"]?.arrayValue ?? []
                #expect(log.count == 3, "\(log)")
            } catch {
                client.shutdown()
                await server.stop(signal: SIGKILL)
                throw error
            }
            client.shutdown()
            #expect(await server.stop(signal: SIGTERM) == 0, "a clean shutdown on SIGTERM")
        }
    }
}
