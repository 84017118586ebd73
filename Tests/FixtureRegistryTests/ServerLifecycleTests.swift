import FixtureTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureRegistry

@Suite("The server starts on port 0, reports its address, stops cleanly, many times")
struct ServerLifecycleTests {
    @Test func startAndStopManyTimes() async throws {
        try await withScratch { folder in
            let storage = try makeStorage(in: folder)
            for _ in 0..<5 {
                let registry = try await FixtureRegistryServer.start(storage: storage)
                #expect(registry.port > 0)
                #expect(registry.baseURL == "http://127.0.0.1:\(registry.port)/")
                try await TestClient.withClient(host: "127.0.0.1", port: registry.port) { (client) async throws in
                    #expect(try await client.get("/-/ping").status == .ok)
                }
                await registry.stop()
                await registry.stop()
            }
        }
    }

    @Test func twoRegistriesAtOnceGetTheirOwnPorts() async throws {
        try await withScratch { folder in
            let first = try await FixtureRegistryServer.start(storage: makeStorage(in: folder.appendingPathComponent("a")))
            let second = try await FixtureRegistryServer.start(storage: makeStorage(in: folder.appendingPathComponent("b"), seeded: false))
            #expect(first.port != second.port)
            try await TestClient.withClient(host: "127.0.0.1", port: second.port) { (client) async throws in
                #expect(try await client.get("/@mochi/example").status == .notFound)
            }
            await first.stop()
            await second.stop()
        }
    }

    @Test func aTakenPortFailsToStart() async throws {
        try await withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let first = try await FixtureRegistryServer.start(storage: storage)
            await #expect(throws: RegistryError.self) { _ = try await FixtureRegistryServer.start(storage: storage, port: first.port) }
            await first.stop()
        }
    }

    @Test func buildApplicationRunsUnderHummingbirdTesting() async throws {
        try await withScratch { folder in
            let app = try FixtureRegistryServer.buildApplication(storage: makeStorage(in: folder))
            try await app.test(.live) { client in
                let response = try await client.execute(uri: "/@mochi%2fexample", method: .get, headers: [.accept: corgiAccept])
                #expect(response.status == .ok)
                let tarball = try #require(try response.json()[path: "versions", "1.1.0", "dist", "tarball"]?.stringValue)
                let port = try #require(client.port)
                #expect(tarball.hasSuffix(":\(port)/@mochi/example/-/example-1.1.0.tgz"), "tarball URLs carry the bound port")
            }
        }
    }
}
