import Audit
import NpmVerify
import Foundation
import SafeJSON
import Testing
import CodedError
import FixtureRegistry

/// `verify-install audit` over a tree our installer built from the fixture registry, then
/// with the registry's answers falsified after the install (what an audit is for).
@Suite struct FixtureAuditTests {
    static let example = "@mochi/example"

    /// Audits the world's tree against a falsified copy of its registry.
    func auditFalsified(_ world: InstalledFixture, _ edit: (inout InstalledFixture.Answers) throws -> Void) async throws -> (AuditReport, String) {
        let mirror = try await world.mirror(edit)
        let url = mirror.baseURL
        do {
            let report = try await runAudit(prefix: world.project, registry: url)
            await mirror.stop()
            return (report, url)
        } catch {
            await mirror.stop()
            throw error
        }
    }

    @Test func installedTreeHasVerifiedRegistrySignatures() async throws {
        try await InstalledFixture.with { world in
            let report = try await runAudit(prefix: world.project, registry: world.registry.baseURL)
            #expect(report.invalid.map(\.message) == [])
            #expect(report.missing.isEmpty)
            #expect(report.auditedCount == 2)
            #expect(report.verifiedSignatureCount == 2)
            #expect(report.verifiedAttestationCount == 0)
            #expect(report.passed)
            // Found by review: keys the registry serves about itself are named (the command says so on
            // stderr, as install's summary does), while the report still prints as npm's.
            let source = "\(world.registry.baseURL)-/npm/v1/keys, served by that registry itself (no TUF root or pin vouches for them)"
            #expect(report.keysWithoutTrust == [source])
            #expect(report.textWithoutDuration == "audited 2 packages in 0s\n\n2 packages have verified registry signatures\n\n")
            #expect(report.json() == "{\n  \"invalid\": [],\n  \"missing\": []\n}\n")

            // Pinned keys are trust: nothing to say.
            let keys = try RegistryKey.parseKeysDocument(try RegistryKeysTUFTarget.render(world.registry.storage.keyring.publicKeys))
            let pinned = try await runAudit(prefix: world.project, registry: world.registry.baseURL,
                                            registryKeys: RegistryKeyTrust(registry: world.registry.baseURL, keys: keys, source: "pinned"))
            #expect(pinned.verifiedSignatureCount == 2)
            #expect(pinned.keysWithoutTrust == [])
        }
    }

    @Test func signatureOfAnotherVersionIsInvalid() async throws {
        try await InstalledFixture.with { world in
            let (report, registry) = try await auditFalsified(world, Self.signatureOfOtherVersion)
            #expect(!report.passed)
            let invalid = try #require(report.invalid.first)
            #expect(report.invalid.count == 1)
            #expect(invalid.code == "EINTEGRITYSIGNATURE")
            #expect(invalid.name == Self.example)
            #expect(invalid.location == "node_modules/@mochi/example")
            #expect(invalid.type == "dependencies")
            #expect(invalid.message.hasPrefix("@mochi/example@1.1.0 has an invalid registry signature with keyid: "))
            #expect(report.verifiedSignatureCount == 1)
            #expect(report.textWithoutDuration == """
                audited 2 packages in 0s

                1 package has a verified registry signature

                1 package has an invalid registry signature:

                @mochi/example@1.1.0 (\(registry))

                Someone might have tampered with this package since it was published on the registry!


                """)
            let json = try JSONValue.parse(Data(report.json().utf8))
            #expect(json["invalid"]?.arrayValue?.first?["code"]?.stringValue == "EINTEGRITYSIGNATURE")
            #expect(json["invalid"]?.arrayValue?.first?["signature"]?.stringValue == invalid.signature)
            #expect(json["invalid"]?.arrayValue?.first?["predicateType"] == nil)
        }
    }

    /// `@mochi/example@1.1.0` carries 1.0.0's signature: a real registry signature over other bytes.
    static func signatureOfOtherVersion(_ answers: inout InstalledFixture.Answers) {
        let other = answers.packuments[example]?["versions"]?["1.0.0"]?["dist"]?["signatures"]
        answers.editDist(example, "1.1.0") { $0["signatures"] = other }
    }

    @Test func versionThatLostItsSignaturesIsMissing() async throws {
        try await InstalledFixture.with { world in
            let (report, registry) = try await auditFalsified(world) { answers in
                answers.editDist(Self.example, "1.1.0") { $0["signatures"] = nil }
            }
            #expect(!report.passed)
            #expect(report.invalid.isEmpty)
            #expect(report.missing.map(\.name) == [Self.example])
            #expect(report.missing.first?.resolved == world.registry.baseURL + "@mochi/example/-/example-1.1.0.tgz")
            #expect(report.textWithoutDuration.hasSuffix("""
                1 package has a verified registry signature

                1 package has a missing registry signature but the registry is providing signing keys:

                @mochi/example@1.1.0 (\(registry))

                """))
        }
    }

    /// npm stops the whole audit on an unknown key; we name the package and audit the rest.
    @Test func signatureByAnUnknownKeyIsReportedAndTheRestIsAudited() async throws {
        try await InstalledFixture.with { world in
            let (report, _) = try await auditFalsified(world) { answers in
                answers.editDist(Self.example, "1.1.0") { dist in
                    guard case .array(let signatures)? = dist["signatures"], case .object(var first)? = signatures.first else { return }
                    first["keyid"] = "SHA256:not-a-registry-key"
                    dist["signatures"] = .array([.object(first)])
                }
            }
            #expect(report.invalid.map(\.code) == ["EMISSINGSIGNATUREKEY"])
            #expect(report.invalid.first?.message == "@mochi/example@1.1.0 has a registry signature with keyid: SHA256:not-a-registry-key but no corresponding public key can be found")
            #expect(report.verifiedSignatureCount == 1)
            #expect(report.textWithoutDuration.contains("1 package could not be verified (npm would stop the whole audit here):"))
        }
    }

    @Test func keysThatExpiredBeforePublishAreRefused() async throws {
        try await InstalledFixture.with { world in
            let (report, _) = try await auditFalsified(world) { answers in
                guard case .array(var keys)? = answers.keys["keys"] else { return }
                for index in keys.indices { keys[index].set(["expires"], "2001-01-01T00:00:00.000Z") }
                answers.keys = .object(["keys": .array(keys)])
            }
            #expect(report.invalid.map(\.code) == ["EEXPIREDSIGNATUREKEY", "EEXPIREDSIGNATUREKEY"])
            #expect(report.invalid.first?.message.hasSuffix("but the corresponding public key has expired 2001-01-01T00:00:00.000Z") == true)
            #expect(report.textWithoutDuration.hasSuffix("Someone might have tampered with these packages since they were published on the registry!\n\n"))
        }
    }

    @Test func registryWithoutKeysOrSignaturesHasNothingToAudit() async throws {
        try await InstalledFixture.with { world in
            let error = await #expect(throws: AuditError.self) {
                try await auditFalsified(world) { answers in
                    answers.keys = .null
                    for name in InstalledFixture.installedNames {
                        let versions = answers.packuments[name]?["versions"]?.objectValue.map { Array($0.keys) } ?? []
                        for version in versions {
                            answers.editDist(name, version) { $0["signatures"] = nil }
                        }
                    }
                }
            }
            #expect(error?.message == "found no dependencies to audit that were installed from a supported registry")
        }
    }

    @Test func packageGoneFromTheRegistryIsReported() async throws {
        try await InstalledFixture.with { world in
            let (report, _) = try await auditFalsified(world) { $0.packuments["@mochi/runtime"] = .null }
            #expect(report.invalid.map(\.code) == ["E404"])
            #expect(report.invalid.first?.name == "@mochi/runtime")
            #expect(report.verifiedSignatureCount == 1)
        }
    }

    /// Stricter than npm: the registry's integrity no longer matches what the lockfile installed.
    @Test func registryIntegrityThatDiffersFromTheLockfileIsReported() async throws {
        try await InstalledFixture.with { world in
            let (report, _) = try await auditFalsified(world) { answers in
                let other = answers.packuments[Self.example]?["versions"]?["1.0.0"]?["dist"]?["integrity"]
                answers.editDist(Self.example, "1.1.0") { $0["integrity"] = other }
            }
            #expect(report.invalid.map(\.code) == ["EINTEGRITY"])
            #expect(report.invalid.first?.message.contains("the lockfile has sha512-") == true)
        }
    }
}

extension AuditReport {
    /// The text report with its elapsed time (`audited N packages in Xs`) fixed at 0s: loaded machines take seconds.
    var textWithoutDuration: String {
        text().replacing(#/ in \d+s\n/#, with: " in 0s\n")
    }
}
