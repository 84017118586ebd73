import CurlTransport
import FixtureTesting
import Foundation
import Installer
import NpmModel
import NpmVerify
import SafeJSON
import SigstoreModels
import Testing
@testable import FixtureFaults
@testable import FixtureRegistry
import CodedError

/// Each scenario in `Registry/scenarios` makes our consumer fail the way its `description` says,
/// switched on through the control port of a live registry.
@Suite("Fault scenarios against our consumer")
struct FaultScenarioTests {
    /// A scenario our Installer must refuse: the error kind and a phrase its message must hold.
    struct InstallCase: Sendable, CustomTestStringConvertible {
        let scenario: String
        let kind: InstallError.Kind
        let phrase: String
        var transferTimeout: Duration = .seconds(60)
        var testDescription: String { scenario }
    }

    static let installCases: [InstallCase] = [
        InstallCase(scenario: "tampered-tarball", kind: .verification, phrase: "integrity check failed for @mochi/"),
        InstallCase(scenario: "wrong-integrity", kind: .verification, phrase: "integrity check failed for @mochi/"),
        InstallCase(scenario: "missing-signature", kind: .verification, phrase: "no registry signature"),
        InstallCase(scenario: "unknown-key-signature", kind: .verification, phrase: "EMISSINGSIGNATUREKEY"),
        InstallCase(scenario: "expired-key", kind: .verification, phrase: "EEXPIREDSIGNATUREKEY"),
        InstallCase(scenario: "signature-over-other-bytes", kind: .verification, phrase: "EINTEGRITYSIGNATURE"),
        InstallCase(scenario: "http-500-first-requests", kind: .registry, phrase: "HTTP 500"),
        InstallCase(scenario: "slow-body", kind: .registry, phrase: ".tgz", transferTimeout: .seconds(2)),
        InstallCase(scenario: "truncated-body", kind: .registry, phrase: ".tgz"),
        InstallCase(scenario: "wrong-content-type", kind: .registry, phrase: "unusable packument"),
    ]

    @Test(arguments: installCases)
    func installerRefusesWhatTheScenarioBreaks(_ expected: InstallCase) async throws {
        try await withScenarioRegistry { registry, client in
            let clean = try await installBasic(from: registry)
            #expect(clean.error == nil && clean.placed, "before the scenario the install works: \(String(describing: clean.error))")

            try await client.activate(expected.scenario, on: registry)
            let broken = try await installBasic(from: registry, transferTimeout: expected.transferTimeout)
            let error = try #require(broken.error, "\(expected.scenario): the install must fail")
            #expect(error.kind == expected.kind, "\(expected.scenario): \(error)")
            #expect(error.message.contains(expected.phrase), "\(expected.scenario): \(error.message)")
            #expect(!broken.placed, "\(expected.scenario): nothing may be placed")
        }
    }

    @Test func everyScenarioFileLoadsAndSaysWhatTheConsumerMustReport() throws {
        let names = FaultScenario.names(in: Repository.scenarios)
        #expect(names.count >= 12, "\(names)")
        for name in names {
            let scenario = try FaultScenario.load(named: name, from: Repository.scenarios)
            #expect(scenario.description.contains("must"), "\(name): the description says what the consumer must report")
            #expect(!scenario.expect.isEmpty && !scenario.rules.isEmpty, "\(name)")
        }
        #expect(throws: RegistryError.self) { try FaultScenario.load(named: "../config", from: Repository.scenarios) }
        #expect(throws: RegistryError.self) { try FaultScenario.parse(Data(#"{"description":"x","rules":[{"match":"any","action":{"type":"nope"}}]}"#.utf8), name: "bad") }
    }

    @Test func retryingConsumerSurvivesTheFirstTwo500s() async throws {
        try await withScenarioRegistry { registry, client in
            try await client.activate("http-500-first-requests", on: registry)
            let outcome = try await installBasic(from: registry, retry: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10)))
            #expect(outcome.error == nil && outcome.placed, "\(String(describing: outcome.error))")
            let statuses = registry.requestLog?.all.filter { $0.path.hasSuffix("example") }.map(\.status) ?? []
            #expect(statuses.prefix(3) == [500, 500, 200], "\(statuses)")
        }
    }

    // MARK: - Attestations

    @Test func missingAttestationIsA404WhereThePackumentPoints() async throws {
        try await withScenarioRegistry { registry, client in
            let packument = try JSONValue.parse(try await client.get(registry.url("@scope%2fattested")).body)
            let url = try #require(packument[path: "versions", "1.1.0", "dist", "attestations", "url"]?.stringValue)
            #expect(try await client.get(url).status == 200)
            try await client.activate("missing-attestation", on: registry)
            let missing = try await client.get(url)
            #expect(missing.status == 404)
            #expect(try JSONValue.parse(missing.body)["error"]?.stringValue == "Not found")
        }
    }

    @Test func swappedAttestationFailsTheSubjectCheck() async throws {
        try await withScenarioRegistry { registry, client in
            let packument = try JSONValue.parse(try await client.get(registry.url("@scope%2fattested")).body)
            let integrity = try #require(packument[path: "versions", "1.0.0", "dist", "integrity"]?.stringValue)
            let url = try #require(packument[path: "versions", "1.0.0", "dist", "attestations", "url"]?.stringValue)
            let identity = PackageIdentity(name: "@scope/attested", version: "1.0.0", integrity: integrity)

            try SubjectCheck().verify(try Self.publishStatement(try await client.get(url).body), package: identity)
            try await client.activate("swapped-attestation", on: registry)
            let swapped = try Self.publishStatement(try await client.get(url).body)
            let error = #expect(throws: NpmVerifyError.self) { try SubjectCheck().verify(swapped, package: identity) }
            #expect(error?.code == .attestationSubject)
            #expect(error?.message.contains("pkg:npm/%40scope/attested@1.1.0") == true, "\(String(describing: error))")
        }
    }

    /// The in-toto statement of the registry's publish attestation in an attestations response.
    static func publishStatement(_ body: Data) throws -> InTotoStatement {
        let list = try #require(try JSONValue.parse(body)["attestations"]?.arrayValue)
        let publish = try #require(list.first { $0["predicateType"]?.stringValue == PublishAttestation.predicateType })
        let payload = try #require(publish[path: "bundle", "dsseEnvelope", "payload"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        return try InTotoStatement(payload: [UInt8](payload))
    }
}
