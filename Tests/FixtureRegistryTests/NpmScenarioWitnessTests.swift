import FixtureTesting
import Foundation
import Testing
@testable import FixtureRegistry

/// The real npm CLI under fault scenarios reports what the scenario's description says,
/// so the scenarios are faults a real client notices, not artefacts of our consumer.
@Suite("Fault scenarios against the real npm")
struct NpmScenarioWitnessTests {
    static let cases: [(scenario: String, phrase: String)] = [
        ("tampered-tarball", "EINTEGRITY"),
        ("wrong-integrity", "EINTEGRITY"),
        ("wrong-content-type", "invalid json response body"),
    ]

    @Test(.requires(.npm), .timeLimit(.minutes(3)),
          arguments: cases.map(\.scenario))
    func npmInstallFailsAsTheScenarioSays(_ scenario: String) async throws {
        let npmExecutable = try #require(NpmCLI.executable)
        let phrase = try #require(Self.cases.first { $0.scenario == scenario }?.phrase)
        try await withScenarioRegistry { registry, client in
            try await withScratch { scratch in
                let npm = try NpmCLI(executable: npmExecutable, scratch: scratch)
                try await client.activate(scenario, on: registry)
                let result = try await npm.install(["@mochi/example"], registry: registry.baseURL)
                #expect(result.status != 0, "\(scenario): npm must fail\n\(result.output)")
                #expect(result.output.contains(phrase), "\(scenario): \(result.output)")
                #expect(npm.installedVersion("@mochi/example") == nil)
            }
        }
    }
}
