import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// The recorded real npm attestation responses through `verify-install verify-attestations`,
/// offline under the public-good root and registry keys, against their tarball integrity.
@Suite struct VerifyAttestationsCommandTests {
    /// One response of `npm-real/attestation-cases.json`.
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let package: String
        let integrity: String
        /// Per predicate type: must the bundle verify? (`pass (crypto)` is rejected by npm's key rule.)
        let expected: [String: Bool]

        var description: String { file }
        var expectExitZero: Bool { expected.values.allSatisfy { $0 } }

        func arguments(json: Bool = true) -> [String] {
            ["verify-attestations", CLIPaths.vector("npm-real/" + file).path, "--package", package, "--integrity", integrity,
             "--trusted-root", CLIPaths.publicGoodRoot.path, "--keys", CLIPaths.publicGoodKeys.path] + (json ? ["--json"] : [])
        }
    }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: CLIPaths.vector("npm-real/attestation-cases.json")),
              let document = try? JSONValue.parse(data, maxDepth: 64) else { return [] }
        return (document["cases"]?.arrayValue ?? []).map { item in
            Case(file: item["file"]?.stringValue ?? "?", package: item["package"]?.stringValue ?? "?",
                 integrity: item["distIntegrity"]?.stringValue ?? "",
                 expected: (item["expected"]?.stringMap ?? [:]).mapValues { $0 == "pass" })
        }
    }()

    @Test func casesAreListed() { #expect(Self.cases.count >= 20) }

    @Test(arguments: cases)
    func responseGetsItsVerdicts(_ testCase: Case) async throws {
        let result = try await CLIProcess.run(testCase.arguments())
        #expect(result.status == (testCase.expectExitZero ? 0 : 1), "\(testCase.file): exit \(result.status): \(result.stdout) \(result.stderr)")
        let report = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(report["verified"]?.boolValue == testCase.expectExitZero)
        let bundles = report["bundles"]?.arrayValue ?? []
        if bundles.isEmpty {
            // The whole response was refused (e.g. no attestation names a registry key): the step is named.
            #expect(!testCase.expectExitZero && report["failedStep"]?.stringValue != nil, "\(testCase.file): \(result.stdout)")
        }
        for bundle in bundles {
            let type = bundle["predicateType"]?.stringValue ?? "?"
            let verified = bundle["verified"]?.boolValue ?? false
            #expect(verified == testCase.expected[type], "\(testCase.file) \(type): \(bundle)")
            if !verified { #expect(bundle["failedStep"]?.stringValue != nil, "\(testCase.file) \(type): no step named") }
            if verified { #expect(bundle["signer"]?.stringValue != nil, "\(testCase.file) \(type): no signer named") }
        }
    }

    /// Found by review: trust was fetched before the inputs were read, so a missing file was
    /// reported as a TUF network failure that never named it.
    @Test func aMissingInputFileIsNamedBeforeTrustIsFetched() async throws {
        let missing = "/nonexistent/verify-install-input.json"
        let unreachable = ["--trusted-root", "public-good", "--tuf-url", "http://127.0.0.1:9/"]
        let attestations = try await CLIProcess.run(["verify-attestations", missing, "--package", "sigstore@1.0.0",
                                                     "--integrity", "sha512-AAAA"] + unreachable)
        let bundle = try await CLIProcess.run(["verify-bundle", "--bundle", missing, "--key", missing] + unreachable + ["sha256:" + String(repeating: "0", count: 64)])
        for result in [attestations, bundle] {
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("cannot read") && result.stderr.contains(missing), "\(result.stderr)")
            #expect(!result.stderr.contains("tuf"), "\(result.stderr)")
        }
    }

    @Test func textOutputNamesSignerAndFailedStep() async throws {
        let valid = try #require(Self.cases.first { $0.file == "npm-cli/valid-sigstore-attestations.json" })
        let ok = try await CLIProcess.run(valid.arguments(json: false))
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("signed by https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0"))
        #expect(ok.stdout.contains("registry key SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA"))
        #expect(ok.stderr.contains("trusted root: file "))

        let digest = try #require(Self.cases.first { $0.file == "pacote/mismatched-subject-digest-attestations.json" })
        let bad = try await CLIProcess.run(digest.arguments(json: false))
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("FAIL https://github.com/npm/attestation/tree/main/specs/publish/v0.1: failed at "), "\(bad.stdout)")
    }

    @Test func wrongIntegrityFailsTheSubjectStep() async throws {
        let valid = try #require(Self.cases.first { $0.file == "npm-cli/valid-tuf-js-attestations.json" })
        var arguments = valid.arguments()
        let other = try #require(Self.cases.first { $0.file == "npm-cli/valid-sigstore-attestations.json" })
        arguments[arguments.firstIndex(of: valid.integrity)!] = other.integrity
        let result = try await CLIProcess.run(arguments)
        #expect(result.status == 1)
        #expect(result.stdout.contains("EATTESTATIONSUBJECT"))
    }

    @Test func usageErrorsExitTwo() async throws {
        let valid = try #require(Self.cases.first)
        var badPackage = valid.arguments()
        badPackage[badPackage.firstIndex(of: valid.package)!] = "no-version"
        #expect(try await CLIProcess.run(badPackage).status == 2)
        #expect(try await CLIProcess.run(valid.arguments() + ["--policy", "p.json"]).status == 2)
        var missing = valid.arguments()
        missing[1] = "/no/such/response.json"
        #expect(try await CLIProcess.run(missing).status == 2)
    }

    /// Both keys formats are accepted: `/-/npm/v1/keys` bodies (with and without `expires`).
    @Test(arguments: ["keys/npm-v1-keys.npm-cli-test.json", "keys/npm-v1-keys.corepack.json"])
    func registryKeysBodiesAreAccepted(_ keys: String) async throws {
        let valid = try #require(Self.cases.first { $0.file == "npm-cli/valid-sigstore-attestations.json" })
        var arguments = valid.arguments()
        arguments[arguments.firstIndex(of: CLIPaths.publicGoodKeys.path)!] = CLIPaths.vector("npm-real/" + keys).path
        let result = try await CLIProcess.run(arguments)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }

    /// TUF `validFor.end` before the entry was logged expires the attestation key; `npm:signatures` keys are not used.
    @Test func tufKeyUsageAndValidForAreHonoured() async throws {
        let valid = try #require(Self.cases.first { $0.file == "npm-cli/valid-sigstore-attestations.json" })
        let document = try JSONValue.parse(try Data(contentsOf: CLIPaths.publicGoodKeys))
        let raw = try #require(document["keys"]?.arrayValue?.first?["publicKey"]?["rawBytes"]?.stringValue)
        func keys(usage: String, end: String) -> String {
            #"{"keys":[{"keyId":"SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA","keyUsage":"\#(usage)","publicKey":{"rawBytes":"\#(raw)","keyDetails":"PKIX_ECDSA_P256_SHA_256","validFor":{"start":"1999-01-01T00:00:00.000Z","end":"\#(end)"}}}]}"#
        }
        let folder = try Scratch.folder("keys")
        defer { Scratch.remove(folder) }
        for (name, body, step) in [("expired", keys(usage: "npm:attestations", end: "2020-01-01T00:00:00.000Z"), "EEXPIREDSIGNATUREKEY"),
                                   ("signatures-only", keys(usage: "npm:signatures", end: "2099-01-01T00:00:00.000Z"), "EMISSINGSIGNATUREKEY")] {
            let file = folder.appendingPathComponent(name + ".json")
            try Data(body.utf8).write(to: file)
            var arguments = valid.arguments()
            arguments[arguments.firstIndex(of: CLIPaths.publicGoodKeys.path)!] = file.path
            let result = try await CLIProcess.run(arguments)
            #expect(result.status == 1, "\(name): \(result.stdout)")
            #expect(result.stdout.contains(step), "\(name): \(result.stdout)")
        }
    }
}
