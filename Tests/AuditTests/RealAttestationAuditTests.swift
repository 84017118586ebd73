import Audit
import FixtureTesting
import Foundation
import NpmVerify
import SafeJSON
import Testing
import SigstoreVerify

/// Audits against real recorded npm registry data (signatures by npm's 2022 key, publish and
/// SLSA provenance attestations logged in the public-good Rekor), served from loopback.
@Suite struct RealAttestationAuditTests {
    func audit(_ data: RealRegistryData, policy: (any ProvenancePolicyCheck)? = nil,
               tufKeys: Data? = nil) async throws -> AuditReport {
        let scratch = try ScratchTree("real")
        defer { scratch.remove() }
        try data.project(in: scratch)
        let server = try await StaticRegistry.start(try data.documents())
        do {
            let trust = try tufKeys.map { RegistryKeyTrust(registry: server.baseURL, keys: try RegistryKey.parseKeysDocument($0), source: "TUF keys.json") }
            let report = try await runAudit(prefix: scratch.url, registry: server.baseURL, policy: policy,
                                            registryKeys: trust ?? RegistryKeyTrust())
            await server.stop()
            return report
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test func recordedPackagesHaveVerifiedSignaturesAndAttestations() async throws {
        let report = try await audit(try .signedAndAttested())
        #expect(report.invalid.map(\.message) == [])
        #expect(report.auditedCount == 2)
        #expect(report.verifiedSignatureCount == 2)
        #expect(report.verifiedAttestationCount == 2)
        #expect(report.passed)
        let text = report.textWithoutDuration
        #expect(text.hasPrefix("audited 2 packages in 0s\n\n2 packages have verified registry signatures\n\n2 packages have verified attestations\n\n"))
        #expect(!text.contains("tampered"))
    }

    @Test func provenanceTableNamesTheRepositoryWorkflowRefAndCommit() async throws {
        let report = try await audit(try .signedAndAttested())
        let built = Dictionary(uniqueKeysWithValues: report.provenance.map { ($0.target.name, $0.provenance) })
        #expect(built["sigstore"]?.repository == "https://github.com/sigstore/sigstore-js")
        #expect(built["sigstore"]?.ref == "refs/tags/v1.0.0")
        #expect(built["sigstore"]?.workflow == ".github/workflows/publish.yml")
        #expect(built["sigstore"]?.commit?.count == 40)
        #expect(built["tuf-js"]?.repository == "https://github.com/theupdateframework/tuf-js")
        #expect(built["sigstore"]?.signer == "https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0")
        let table = report.textWithoutDuration.components(separatedBy: "the installed files are not compared with it):\n\n").last ?? ""
        #expect(table.hasPrefix("package "))
        #expect(table.contains("sigstore@1.0.0  https://github.com/sigstore/sigstore-js"))
    }

    @Test func alteredPublishAttestationSignatureIsAnInvalidAttestation() async throws {
        var data = try RealRegistryData.signedAndAttested()
        try data.editAttestations(of: "tuf-js") { entries in
            for index in entries.indices where entries[index]["predicateType"]?.stringValue?.contains("npm/attestation") == true {
                let sig = entries[index]["bundle"]?["dsseEnvelope"]?["signatures"]?.arrayValue?.first?["sig"]?.stringValue ?? ""
                let flipped = (sig.first == "M" ? "N" : "M") + sig.dropFirst()
                entries[index].set(["bundle", "dsseEnvelope", "signatures", "0", "sig"], .string(flipped))
            }
        }
        let report = try await audit(data)
        #expect(!report.passed)
        #expect(report.invalid.map(\.code) == ["EATTESTATIONVERIFY"])
        #expect(report.invalid.first?.name == "tuf-js")
        #expect(report.invalid.first?.predicateType == "https://github.com/npm/attestation/tree/main/specs/publish/v0.1")
        #expect(report.invalid.first?.keyid == "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA")
        #expect(report.verifiedAttestationCount == 1)
        #expect(report.textWithoutDuration.contains("1 package has an invalid attestation:\n\ntuf-js@1.0.0 (\(report.invalid[0].registry))\n\nSomeone might have tampered with this package since it was published on the registry!\n"))
    }

    /// npm aborts the whole run here (EMISSINGSIGNATUREKEY); we report the package and go on.
    @Test func provenanceWithoutAPublishAttestationIsReportedAndTheAuditGoesOn() async throws {
        var data = try RealRegistryData.signedAndAttested()
        try data.editAttestations(of: "sigstore") { entries in
            entries.removeAll { $0["predicateType"]?.stringValue?.contains("npm/attestation") == true }
        }
        let report = try await audit(data)
        #expect(report.invalid.map(\.code) == ["EMISSINGSIGNATUREKEY"])
        #expect(report.invalid.first?.message == "sigstore@1.0.0 has attestations but no corresponding public key(s) can be found")
        #expect(report.verifiedSignatureCount == 1, "tuf-js was still audited")
        #expect(report.verifiedAttestationCount == 1)
        #expect(report.textWithoutDuration.contains("1 package could not be verified (npm would stop the whole audit here):"))
    }

    /// Stricter than npm, as install is: a mirror that strips the provenance the packument
    /// advertises (keeping the publish attestation, which verifies) would hide who built it.
    @Test func aResponseWithoutTheAdvertisedProvenanceIsInvalid() async throws {
        var data = try RealRegistryData.signedAndAttested()
        try data.editAttestations(of: "sigstore") { entries in
            entries.removeAll { $0["predicateType"]?.stringValue?.hasPrefix("https://slsa.dev/provenance/") == true }
        }
        let report = try await audit(data)
        #expect(report.invalid.map(\.code) == ["EATTESTATIONMISSING"])
        #expect(report.invalid.first?.message == "sigstore@1.0.0: the registry advertises a https://slsa.dev/provenance/v0.2 attestation (dist.attestations.provenance) but its attestations response carries none")
        #expect(report.verifiedAttestationCount == 1, "tuf-js was still audited")
    }

    @Test func subjectForAnotherVersionIsAnAttestationSubjectError() async throws {
        var data = try RealRegistryData.signedAndAttested()
        // tuf-js's attestations served for sigstore: signatures verify, the subject does not match.
        let tuf = data.versions.first { $0.name == "tuf-js" }!.attestations
        data.versions[data.versions.firstIndex { $0.name == "sigstore" }!].attestations = tuf
        let report = try await audit(data)
        #expect(report.invalid.map(\.code) == ["EATTESTATIONSUBJECT"])
        #expect(report.invalid.first?.message.hasPrefix("sigstore@1.0.0 package name and version (PURL): pkg:npm/sigstore@1.0.0 doesn't match what was signed: pkg:npm/tuf-js@1.0.0") == true)
    }

    @Test func signatureKeyThatExpiredBeforePublishIsRefused() async throws {
        var data = try RealRegistryData.signedAndAttested()
        data.keys = try Data(contentsOf: Repository.vector("npm-real/keys/npm-v1-keys.corepack.json"))  // old key expires 2025-01-29
        data.versions[0].published = "2025-06-01T00:00:00.000Z"
        let report = try await audit(data)
        #expect(report.invalid.map(\.code) == ["EEXPIREDSIGNATUREKEY"])
        #expect(report.invalid.first?.message.hasSuffix("but the corresponding public key has expired 2025-01-29T00:00:00.000Z") == true)
        #expect(report.verifiedSignatureCount == 1)
    }

    @Test func policySeamRefusesAPackageBuiltElsewhere() async throws {
        let policy = ClosurePolicy { target, provenance in
            let repository = provenance?.summary.repository
            #expect(provenance?.bundle.identity != nil, "the policy sees the verified certificate identity")
            return repository == "https://github.com/sigstore/sigstore-js" ? nil
                : "expected repository https://github.com/sigstore/sigstore-js, found \(repository ?? "no provenance")"
        }
        let report = try await audit(try .signedAndAttested(), policy: policy)
        #expect(report.invalid.map(\.code) == ["EPROVENANCEPOLICY"])
        #expect(report.invalid.first?.name == "tuf-js")
        #expect(report.invalid.first?.message.contains("found https://github.com/theupdateframework/tuf-js") == true)
        #expect(report.textWithoutDuration.contains("1 package does not meet the provenance policy:"))
    }

    @Test func jsonHasNpmsShape() async throws {
        var data = try RealRegistryData.signedAndAttested()
        data.versions[1].dist["signatures"] = nil
        let report = try await audit(data)
        let json = try JSONValue.parse(Data(report.json().utf8))
        #expect(json["invalid"]?.arrayValue?.count == 0)
        let missing = try #require(json["missing"]?.arrayValue?.first)
        #expect(missing["name"]?.stringValue == "tuf-js")
        #expect(missing["location"]?.stringValue == "node_modules/tuf-js")
        #expect(missing["resolved"]?.stringValue == "https://registry.npmjs.org/tuf-js/-/tuf-js-1.0.0.tgz")
        #expect(report.json().hasPrefix("{\n  \"invalid\": [],\n  \"missing\": [\n    {\n      \"integrity\": \"sha512-1dxs"))
    }

    /// npm's TUF keys list each key once per usage; a key listed only for attestations does not sign packages.
    @Test func keyUsageFromTheTUFKeysIsHonoured() async throws {
        let both = try Data(contentsOf: Repository.vector("public-good/registry.npmjs.org-keys.json"))
        #expect(try await audit(try .signedAndAttested(), tufKeys: both).passed)
        var json = try JSONValue.parse(both)
        json = .object(["keys": .array((json["keys"]?.arrayValue ?? []).filter { $0["keyUsage"]?.stringValue != "npm:signatures" })])
        let report = try await audit(try .signedAndAttested(), tufKeys: try json.serialized())
        #expect(report.invalid.map(\.code) == ["EMISSINGSIGNATUREKEY", "EMISSINGSIGNATUREKEY"])
    }
}
