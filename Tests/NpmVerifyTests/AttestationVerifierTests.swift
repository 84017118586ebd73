import Foundation
import NpmVerify
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// The recorded real attestation responses through npm's rules (NpmVerify), under the public-good root.
@Suite struct AttestationVerifierTests {
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let package: PackageIdentity
        let expected: [String: String]
        var description: String { file }
    }

    static let cases: [Case] = {
        guard let document = try? JSONValue.parse(try RegistrySignatureTests.data("npm-real/attestation-cases.json")) else { return [] }
        return (document["cases"]?.arrayValue ?? []).map { item in
            let spec = item["package"]?.stringValue ?? ""
            let at = spec.lastIndex(of: "@") ?? spec.endIndex
            return Case(file: "npm-real/" + (item["file"]?.stringValue ?? ""),
                        package: PackageIdentity(name: String(spec[..<at]), version: String(spec[at...].dropFirst()),
                                                 integrity: item["distIntegrity"]?.stringValue ?? ""),
                        expected: item["expected"]?.stringMap ?? [:])
        }
    }()

    /// Where pacote's npm rules are stricter than the crypto verdict in attestation-cases.json.
    static let npmRuleOverrides: [String: (predicate: String, code: String)] = [
        "npm-real/pacote/mismatched-keyid-attestations.json": ("https://slsa.dev/provenance/v0.2", "EMISSINGSIGNATUREKEY"),
    ]

    /// Responses pacote rejects as a whole: no attestation names a registry key (B's keyid blanked).
    static let rejectedResponses: [String: String] = [
        "npm-real/pacote/no-keyid-attestations.json": "EMISSINGSIGNATUREKEY",
    ]

    static func verifier() throws -> AttestationVerifier {
        AttestationVerifier(trusted: try TrustedMaterial(jsonData: try RegistrySignatureTests.data("public-good/trusted_root.json")),
                            keys: try RegistryKey.parseTUFKeys(try RegistrySignatureTests.data("public-good/registry.npmjs.org-keys.json")))
    }

    @Test func purlAndDigestFollowNpm() {
        let sha1 = "sha1-" + Data(repeating: 0xCD, count: 20).base64EncodedString()
        let scoped = PackageIdentity(name: "@scope/pkg", version: "1.0.0", integrity: sha1 + " sha512-" + Data(repeating: 0xAB, count: 64).base64EncodedString())
        #expect(scoped.purl == "pkg:npm/%40scope/pkg@1.0.0")
        #expect(scoped.sha512Hex == String(repeating: "ab", count: 64))
        #expect(PackageIdentity(name: "a", version: "1", integrity: "sha256-AAAA").sha512Hex == nil)
    }

    @Test(arguments: cases)
    func responseGetsItsVerdicts(_ testCase: Case) throws {
        let response = try RegistrySignatureTests.data(testCase.file)
        if let code = Self.rejectedResponses[testCase.file] {
            let error = #expect(throws: NpmVerifyError.self) { try Self.verifier().verify(response: response, package: testCase.package) }
            #expect(error?.code.rawValue == code)
            return
        }
        let verdicts = try Self.verifier().verify(response: response, package: testCase.package)
        #expect(verdicts.count == testCase.expected.count)
        for verdict in verdicts {
            if let override = Self.npmRuleOverrides[testCase.file], override.predicate == verdict.predicateType {
                #expect(verdict.failure == override.code)
                continue
            }
            let expected = testCase.expected[verdict.predicateType]
            #expect(expected == (verdict.failure == nil ? "pass" : "fail"), "\(verdict.predicateType): \(verdict.failure ?? "passed")")
        }
    }

    @Test func otherIntegrityFailsTheSubjectRule() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("valid-sigstore-attestations.json") })
        let other = PackageIdentity(name: good.package.name, version: good.package.version,
                                    integrity: "sha512-" + Data(repeating: 1, count: 64).base64EncodedString())
        let verdicts = try Self.verifier().verify(response: try RegistrySignatureTests.data(good.file), package: other)
        #expect(verdicts.allSatisfy { $0.failure == "EATTESTATIONSUBJECT" })
    }

    @Test func integrityWithASecondSHA512IsRefusedNotReadAsItsFirst() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("valid-sigstore-attestations.json") })
        let doubled = PackageIdentity(name: good.package.name, version: good.package.version,
                                      integrity: good.package.integrity + " sha512-" + Data(repeating: 1, count: 64).base64EncodedString())
        #expect(doubled.sha512Hex == nil)
        let verdicts = try Self.verifier().verify(response: try RegistrySignatureTests.data(good.file), package: doubled)
        #expect(verdicts.allSatisfy { $0.failure == "EATTESTATIONSUBJECT" })
    }

    /// A TUF key's `validFor.start` bounds the signed times of the attestations it signs: the
    /// same real response fails once the attestation key is said to start after it was logged.
    @Test func anAttestationSignedBeforeItsKeyStartsFails() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("valid-sigstore-attestations.json") })
        let keysText = try #require(String(data: try RegistrySignatureTests.data("public-good/registry.npmjs.org-keys.json"), encoding: .utf8))
        let later = keysText.replacingOccurrences(of: "2022-12-01T00:00:00.000Z", with: "2099-01-01T00:00:00.000Z")
        #expect(later != keysText)
        let verifier = AttestationVerifier(trusted: try TrustedMaterial(jsonData: try RegistrySignatureTests.data("public-good/trusted_root.json")),
                                           keys: try RegistryKey.parseTUFKeys(Data(later.utf8)))
        let verdicts = try verifier.verify(response: try RegistrySignatureTests.data(good.file), package: good.package)
        let publish = try #require(verdicts.first { $0.predicateType == "https://github.com/npm/attestation/tree/main/specs/publish/v0.1" })
        #expect(publish.failure == "EEXPIREDSIGNATUREKEY")
        #expect(try Self.verifier().verify(response: try RegistrySignatureTests.data(good.file), package: good.package)
            .allSatisfy { $0.failure == nil })
    }

    @Test func responseLabelThatDisagreesWithTheSignedPredicateTypeFails() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("valid-sigstore-attestations.json") })
        // Swap the unsigned labels: the publish attestation now claims to be the SLSA provenance.
        var document = try JSONValue.parse(try RegistrySignatureTests.data(good.file))
        if case .object(var object) = document, let list = object["attestations"]?.arrayValue {
            let labels = list.map { $0["predicateType"] ?? .null }.reversed()
            object["attestations"] = .array(zip(list, labels).map { entry, label in
                guard case .object(var fields) = entry else { return entry }
                fields["predicateType"] = label
                return .object(fields)
            })
            document = .object(object)
        }
        let verdicts = try Self.verifier().verify(response: try document.serialized(), package: good.package)
        #expect(verdicts.count == 2)
        #expect(verdicts.allSatisfy { $0.failure == NpmVerifyError.Code.predicateTypeMismatch.rawValue })
    }

    @Test func provenanceOnlyResponseHasNoRegistryKey() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("valid-sigstore-attestations.json") })
        var document = try JSONValue.parse(try RegistrySignatureTests.data(good.file))
        if case .object(var object) = document, let list = object["attestations"]?.arrayValue {
            object["attestations"] = .array(list.filter { $0["predicateType"]?.stringValue?.contains("slsa") == true })
            document = .object(object)
        }
        let error = #expect(throws: NpmVerifyError.self) { try Self.verifier().verify(response: try document.serialized(), package: good.package) }
        #expect(error?.code == .missingSignatureKey)
    }

    @Test func provenancePolicyPinsTheSourceRepository() throws {
        let good = try #require(Self.cases.first { $0.file.hasSuffix("gundam-visor-cli-v1-tag.tgz.json") })
        let response = try RegistrySignatureTests.data(good.file)
        let trusted = try TrustedMaterial(jsonData: try RegistrySignatureTests.data("public-good/trusted_root.json"))
        let keys = try RegistryKey.parseTUFKeys(try RegistrySignatureTests.data("public-good/registry.npmjs.org-keys.json"))
        let open = try AttestationVerifier(trusted: trusted, keys: keys).verify(response: response, package: good.package)
        let provenance = try #require(open.first { $0.predicateType.contains("slsa") })
        let identity = try #require(try provenance.result.get().identity)
        let repository = try #require(identity[.sourceRepositoryURI])
        #expect(repository.hasPrefix("https://github.com/") && repository.hasSuffix("gundam-visor"))
        #expect(identity.subjectAlternativeName?.hasPrefix(repository + "/.github/workflows/") == true)

        let pinned = IdentityPolicy(issuer: "https://token.actions.githubusercontent.com", extensions: [.sourceRepositoryURI: repository])
        let pass = try AttestationVerifier(trusted: trusted, keys: keys, provenancePolicy: pinned).verify(response: response, package: good.package)
        #expect(pass.allSatisfy { $0.failure == nil })

        let other = "https://github.com/someone-else/gundam-visor"
        let wrong = IdentityPolicy(extensions: [.sourceRepositoryURI: other])
        let fail = try AttestationVerifier(trusted: trusted, keys: keys, provenancePolicy: wrong).verify(response: response, package: good.package)
        let rejected = try #require(fail.first { $0.predicateType.contains("slsa") })
        guard case .failure(let error as VerificationError) = rejected.result else { Issue.record("policy must reject"); return }
        #expect(error.code == .identityPolicy)
        #expect(error.message.contains(other) && error.message.contains(repository))
        #expect(fail.first { !$0.predicateType.contains("slsa") }?.failure == nil, "the key-signed publish attestation is not subject to the provenance policy")
    }
}
