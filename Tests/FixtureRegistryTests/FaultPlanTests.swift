import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing
@testable import FixtureFaults
@testable import FixtureRegistry

@Suite("Fault injection: statuses, corrupted tarballs, delays, dropped connections")
struct FaultPlanTests {
    @Test func statusForTheNextNRequestsThenNormal() async throws {
        let faults = FaultPlan()
        faults.add(.packument("@mochi/example"), .status(500), times: 2)
        try await withRegistry(faults: faults) { _, client in
            #expect(try await client.get("/@mochi%2fexample").status == .internalServerError)
            let second = try await client.get("/@mochi/example")
            #expect(second.status == .internalServerError)
            #expect(try second.json()["error"] != nil)
            #expect(try await client.get("/@mochi/example").status == .ok)
            #expect(try await client.get("/@mochi/runtime").status == .ok, "other packages are untouched")
            #expect(faults.packumentRequests("@mochi/example") == 3, "both encodings count for the same package")
            #expect(faults.requestCount(path: "/@mochi%2fexample") == 1)
            #expect(faults.rules.isEmpty)
        }
    }

    @Test func corruptedTarballKeepsTheOriginalIntegrity() async throws {
        let faults = FaultPlan()
        faults.add(.tarball(name: "@mochi/runtime", version: "1.2.0"), .corruptTarball)
        try await withRegistry(faults: faults) { _, client in
            let integrity = try #require(try await client.get("/@mochi/runtime").json()[path: "versions", "1.2.0", "dist", "integrity"]?.stringValue)
            let corrupted = try await client.get("/@mochi/runtime/-/runtime-1.2.0.tgz").data
            let original = try await client.get("/@mochi/runtime/-/runtime-1.2.0.tgz").data
            let sri = { (data: Data) in "sha512-" + Data(SHA512.hash(data: data)).base64EncodedString() }
            #expect(corrupted.count == original.count)
            #expect(sri(corrupted) != integrity)
            #expect(sri(original) == integrity)
            #expect(faults.tarballRequests("@mochi/runtime", version: "1.2.0") == 2)
        }
    }

    @Test func replacedTarballAndTarballOnlyRulesIgnorePackuments() async throws {
        let faults = FaultPlan()
        faults.add(.package("@mochi/runtime"), .replaceTarball(Data("evil".utf8)))
        try await withRegistry(faults: faults) { (_, client) async throws in
            #expect(try await client.get("/@mochi/runtime").status == .ok)
            #expect(faults.rules.count == 1, "a packument request does not use up a tarball rule")
            #expect(try await client.get("/@mochi/runtime/-/runtime-1.0.0.tgz").data == Data("evil".utf8))
        }
    }

    @Test func delayThenAnswer() async throws {
        let faults = FaultPlan()
        faults.add(.path("/-/ping"), .delay(.milliseconds(300)))
        try await withRegistry(faults: faults) { (_, client) async throws in
            let start = ContinuousClock.now
            #expect(try await client.get("/-/ping").status == .ok)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }

    @Test func droppedConnectionGivesNoResponse() async throws {
        let faults = FaultPlan()
        faults.add(.packument("@mochi/example"), .dropConnection)
        try await withRegistry(faults: faults) { registry, client in
            await #expect(throws: (any Error).self) { _ = try await client.get("/@mochi/example") }
            try await TestClient.withClient(host: "127.0.0.1", port: registry.port) { (fresh) async throws in
                #expect(try await fresh.get("/@mochi/example").status == .ok)
            }
        }
    }

    @Test func unlimitedRuleAndAnyMatch() async throws {
        let faults = FaultPlan()
        faults.add(.any, .status(503, message: "maintenance"), times: nil)
        try await withRegistry(faults: faults) { _, client in
            for _ in 0..<3 { #expect(try await client.get("/-/ping").status == .serviceUnavailable) }
            let body = try await client.get("/-/ping").json()
            #expect(body == ["error": "maintenance"])
            faults.clearRules()
            #expect(try await client.get("/-/ping").status == .ok)
            #expect(faults.requestCount(path: "/-/ping") == 5)
        }
    }
}
