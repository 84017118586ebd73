import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import CodedError

/// Recorded real npm attestation responses get their verdicts offline (npm-real/attestation-cases.json).
@Suite struct NpmAttestationTests {
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let purl: String
        let integrity: String
        let expected: [String: String]
        let san: String?
        let issuer: String?
        var description: String { file }
    }

    static let cases: [Case] = {
        guard let document = try? Vectors.json("npm-real/attestation-cases.json") else { return [] }
        return (document["cases"]?.arrayValue ?? []).map { item in
            Case(file: "npm-real/" + (item["file"]?.stringValue ?? ""), purl: item["purl"]?.stringValue ?? "",
                 integrity: item["distIntegrity"]?.stringValue ?? "", expected: item["expected"]?.stringMap ?? [:],
                 san: item["provenanceSignerSAN"]?.stringValue, issuer: item["provenanceIssuer"]?.stringValue)
        }
    }()

    static let trusted: TrustedMaterial? = try? TrustedMaterial(jsonData: Vectors.data(Vectors.publicGoodRoot))

    @Test func allRecordedCasesAreListed() {
        #expect(Self.cases.count == 25)
        #expect(Self.trusted != nil)
    }

    @Test(arguments: cases)
    func attestationGetsItsVerdict(_ testCase: Case) throws {
        let response = try Vectors.json(testCase.file)
        let attestations = try #require(response["attestations"]?.arrayValue)
        #expect(attestations.count == testCase.expected.count)
        for attestation in attestations {
            let predicateType = try #require(attestation["predicateType"]?.stringValue)
            let expected = try #require(testCase.expected[predicateType], "no verdict for \(predicateType)")
            let outcome = Result { try Self.verify(attestation, purl: testCase.purl, integrity: testCase.integrity) }
            switch (expected, outcome) {
            case ("pass", .failure(let error)): Issue.record("\(testCase.file) \(predicateType) must pass, failed: \(error)")
            case ("fail", .success): Issue.record("\(testCase.file) \(predicateType) must fail, passed")
            case ("pass", .success(let verified)):
                if let identity = verified.identity {  // provenance: the signer is the recorded workflow
                    #expect(identity.subjectAlternativeName == testCase.san)
                    #expect(identity.issuer == testCase.issuer)
                }
            case ("fail", .failure(let error)): if ProcessInfo.processInfo.environment["SIGSTORE_VERBOSE"] != nil { print("VERDICT \(testCase.file) \(predicateType): \(error)") }
            default: break
            }
        }
    }

    /// Sigstore verification (registry key for key-signed bundles) plus npm's subject rule.
    static func verify(_ attestation: JSONValue, purl: String, integrity: String) throws -> VerifiedBundle {
        let bundle = try SigstoreBundle(json: JSONField(try #require(attestation["bundle"]), path: "bundle"))
        let signer: BundleVerifier.SignerPolicy
        if case .publicKey(let hint) = bundle.signingMaterial {
            signer = .publicKey(try RegistryKeys.attestationKey(id: hint))
        } else {
            signer = .anyCertificate
        }
        let verified = try BundleVerifier(trusted: try #require(trusted)).verify(bundle, artifact: nil, signer: signer)
        let subject = try #require(verified.statement?.subjects.first, "statement has no subject")
        let hex = try #require(Data(base64Encoded: String(integrity.dropFirst("sha512-".count)))).map { String(format: "%02x", $0) }.joined()
        guard subject.name == purl, subject.digest["sha512"] == hex else {
            throw VerificationError(.artifact, "expected subject \(purl) sha512 \(hex), found \(subject.name) \(subject.digest["sha512"] ?? "none")")
        }
        return verified
    }
}

/// The `npm:attestations` keys of `public-good/registry.npmjs.org-keys.json`.
enum RegistryKeys {
    static func attestationKey(id: String) throws -> PublicKey {
        let document = try Vectors.json("public-good/registry.npmjs.org-keys.json")
        for key in document["keys"]?.arrayValue ?? [] where key["keyId"]?.stringValue == id && key["keyUsage"]?.stringValue == "npm:attestations" {
            guard let raw = key["publicKey"]?["rawBytes"]?.stringValue, let der = Data(base64Encoded: raw) else { continue }
            return try PublicKey(spkiDER: [UInt8](der))
        }
        throw VerificationError(.publicKey, "no npm:attestations registry key has id \(id)")
    }
}
