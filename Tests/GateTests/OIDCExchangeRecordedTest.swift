import FixtureRegistry
import FixtureTesting
import Foundation
import Harness
import RecordedFlows
import SafeJSON
import Testing
import FixtureSigstore

extension Phase12NpmPublish {
    /// Replays the committed recording `Registry/recorded/mochi-example-v1.1.0.json`: a registry at
    /// the recorded clock, trusting only the recorded trusted publisher and the TEST-ONLY issuer key,
    /// answers the recorded exchange request byte for byte, and refuses with npm's error shapes the
    /// recorded JWT altered in any claim (tampered, and re-signed for every claim the rules bind),
    /// expired, for another audience, repository or workflow file, without a bearer, exchanged a
    /// second time, and for a package without a trusted publisher.
    func oidcTokenExchangeRecorded() async throws {
        let file = Repository.registry.appendingPathComponent("recorded").appendingPathComponent("mochi-example-v1.1.0.json")
        let recording = try RecordedExchange.load(from: file)
        #expect(recording.package == "@mochi/example")
        #expect(recording.job.repository == "mochi-lang/mochi" && recording.job.ref == "refs/tags/v1.1.0")
        #expect(recording.jwtClaims["aud"]?.stringValue == "npm:127.0.0.1")
        #expect(recording.jwtClaims["jti"]?.stringValue == recording.jti)
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(!committed.contains("/tmp/") && !committed.contains("/work/") && !committed.contains("127.0.0.1:"),
                "the recording must carry no absolute paths or ports")

        let report = try await ExchangeReplay(recording: recording, keys: RecordingKeys(directory: Repository.registryKeys)).run()
        #expect(report.replayed.status == 201)
        #expect(Data(report.replayed.body.utf8) == Data(report.expected.body.utf8),
                "expected the recorded body \(report.expected.body), found \(report.replayed.body)")
        #expect(report.byteIdentical)

        let byName = Dictionary(report.variants.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for outcome in report.variants {
            #expect(outcome.problem == nil, "\(outcome.name): \(outcome.problem ?? "")")
        }
        // Every claim of the recorded JWT, tampered without a signature.
        for claim in recording.jwtClaims.keys {
            #expect(byName["unsigned tamper: \(claim)"]?.response.status == 401, "unsigned tamper of \(claim)")
        }
        // The refusals the issue names, each present and answered with npm's status.
        let required: [(String, Int)] = [
            ("control: recorded claims re-signed with the test key", 201), ("the recorded JWT exchanged again", 401),
            ("recorded JWT after exp + skew", 401), ("re-signed: expired exp", 401),
            ("re-signed: another audience", 401), ("re-signed: another issuer", 401),
            ("job of another repository", 401), ("re-signed: another repository claim", 401),
            ("job of another workflow file", 401), ("re-signed: another workflow_ref", 401),
            ("re-signed: another job_workflow_ref", 401), ("re-signed: another repository_owner", 401),
            ("re-signed: nbf in the future", 401), ("re-signed: iat in the future", 401), ("re-signed: no exp", 401),
            ("no bearer", 401), ("bearer that is not a JWT", 401), ("alg none, no signature", 401),
            ("package without a trusted publisher", 404),
        ]
        for (name, status) in required {
            let outcome = byName[name]
            #expect(outcome?.response.status == status, "\(name): expected \(status), found \(outcome.map { "\($0.response.status) \($0.response.body)" } ?? "no such case")")
        }
        let notFound = try JSONValue.parse(Data((byName["package without a trusted publisher"]?.response.body ?? "").utf8))
        #expect(notFound["message"]?.stringValue?.hasPrefix("OIDC token exchange error - package not found") == true)
        #expect(report.failures.isEmpty, "\(report.failures.joined(separator: "\n"))")
    }
}
