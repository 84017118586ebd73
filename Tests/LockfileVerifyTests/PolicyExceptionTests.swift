import FixtureTesting
import Foundation
import LockfileVerify
import NpmVerify
import SafeJSON
import Testing
import LockfileFormats

/// `ignore` exceptions: they excuse what a package lacks, are listed in the report, and expire.
@Suite(.serialized) struct PolicyExceptionTests {
    static let stripRuntimeSignature: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
        guard url.hasSuffix(WorldSupport.runtimePackument) else { return (status, body) }
        return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["signatures"] = nil; $0["attestations"] = nil })
    }

    static func policy(until: String) -> String {
        #"{"ignore": [{"package": "@mochi/run*", "reason": "re-published by the vendor without provenance", "until": "\#(until)"}]}"#
    }

    @Test func anExceptionExcusesMissingSignatureAndProvenanceAndIsListed() async throws {
        try await WorldSupport.with { support in
            let settings = try support.settings(policy: Self.policy(until: "2999-12-31"), requireProvenance: true)
            let report = try await support.verify(support.lockfiles.npmV3, file: "package-lock.json", settings: settings,
                                                  rewrite: Self.stripRuntimeSignature)
            #expect(report.exitCode == 0, "\(report.text())")
            #expect(report.excepted.map(\.package.id) == ["@mochi/runtime@1.2.0"])
            #expect(Set(report.excepted.first?.excused.map(\.code) ?? []) == [.signatureMissing, .provenanceMissing, .provenanceDowngrade])
            #expect(report.verified.map(\.package.id) == ["@mochi/example@1.1.0"], "--require-provenance still applies to everything else")
            #expect(report.text().contains("@mochi/runtime@1.2.0: re-published by the vendor without provenance until 2999-12-31"))
            let packages = try JSONValue.parse(Data(report.json().utf8))["packages"]?.arrayValue ?? []
            #expect(packages.compactMap { $0["status"]?.stringValue } == ["verified", "excepted"])
            #expect(packages.last?["exception"]?["reason"]?.stringValue == "re-published by the vendor without provenance")
        }
    }

    @Test func anExceptionNeverExcusesADifferentIntegrity() async throws {
        try await WorldSupport.with { support in
            var changed = support.lockfiles
            changed.runtime.integrity = "sha512-" + Data(repeating: 1, count: 64).base64EncodedString()
            let report = try await support.verify(changed.npmV3, file: "package-lock.json", settings: try support.settings(policy: Self.policy(until: "2999-12-31")))
            WorldVerificationTests.expectFailure(report, .integrityMismatch, "excepted but tampered")
        }
    }

    @Test func anExpiredExceptionIsAnError() async throws {
        try await WorldSupport.with { support in
            let report = try await support.verify(support.lockfiles.npmV3, file: "package-lock.json",
                                                  settings: try support.settings(policy: Self.policy(until: "2020-01-31")),
                                                  rewrite: Self.stripRuntimeSignature)
            WorldVerificationTests.expectFailure(report, .exceptionExpired, "expired")
            #expect(report.failed.first?.failures.map(\.code).contains(.signatureMissing) == true)
        }
    }

    @Test func exceptionsNeedAReasonAndAValidDate() {
        func error(_ json: String) -> String {
            do { _ = try ProvenancePolicy(json: Data(json.utf8)); return "accepted" } catch { return "\(error)" }
        }
        #expect(error(#"{"ignore": [{"package": "a"}]}"#).contains("reason is mandatory"))
        #expect(error(#"{"ignore": [{"package": "a", "reason": "r", "until": "2027-02-30"}]}"#).contains("YYYY-MM-DD"))
        #expect(error(#"{"ignore": [{"package": "a", "reason": "r", "untill": "2027-01-31"}]}"#).contains("unknown key \"untill\""))
        #expect(error(#"{"ignore": [{"package": "a", "reason": "r"}], "requireProvenance": true}"#) == "accepted")
        let exception = try? PolicyException(package: GlobPattern("a"), reason: "r", until: "2027-01-31")
        #expect(exception?.isExpired(at: ISO8601DateFormatter().date(from: "2027-01-31T23:59:59Z")!) == false)
        #expect(exception?.isExpired(at: ISO8601DateFormatter().date(from: "2027-02-01T00:00:00Z")!) == true)
    }
}
