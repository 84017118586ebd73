import FixtureTesting
import Foundation
import NpmModel
import NpmVerify
import SafeJSON
import Testing
import CodedError

/// Recorded real registry signatures (npm-real/manifests.json) against the recorded key lists.
@Suite struct RegistrySignatureTests {
    static let vectors = Repository.vectors

    static func data(_ path: String) throws -> Data { try Data(contentsOf: vectors.appendingPathComponent(path)) }

    struct Version: Sendable, CustomStringConvertible {
        let name: String, version: String, integrity: String
        let signatures: [RegistrySignature]
        let expectValid: Bool
        var description: String { "\(name)@\(version) \(signatures.first?.sig.prefix(8) ?? "")" }
    }

    static let signed: [Version] = {
        guard let document = try? JSONValue.parse(try data("npm-real/manifests.json")) else { return [] }
        return (document["versions"]?.arrayValue ?? []).compactMap { item in
            let list = item["dist"].flatMap { $0["signatures"] }?.arrayValue ?? []
            let signatures = list.compactMap { entry -> RegistrySignature? in
                guard let keyid = entry["keyid"]?.stringValue, let sig = entry["sig"]?.stringValue else { return nil }
                return signature(keyid: keyid, sig: sig)
            }
            guard !signatures.isEmpty else { return nil }
            return Version(name: item["name"]?.stringValue ?? "", version: item["version"]?.stringValue ?? "",
                           integrity: item["dist"].flatMap { $0["integrity"] }?.stringValue ?? "", signatures: signatures,
                           expectValid: item["expectRegistrySignature"]?.stringValue == "valid")
        }
    }()

    /// `RegistrySignature` has no public memberwise initializer; build it through its Codable form.
    static func signature(keyid: String, sig: String) -> RegistrySignature? {
        try? JSONDecoder().decode(RegistrySignature.self, from: JSONEncoder().encode(["keyid": keyid, "sig": sig]))
    }

    static func verifier(_ file: String) throws -> RegistrySignatureVerifier {
        RegistrySignatureVerifier(keys: try RegistryKey.parseRegistryKeys(try data(file)))
    }

    @Test func recordsFiveSignedVersions() {
        #expect(Self.signed.count == 5)
        #expect(Self.signed.filter(\.expectValid).count == 4)
    }

    @Test(arguments: signed)
    func recordedSignatureGetsItsVerdict(_ version: Version) throws {
        let verifier = try Self.verifier("npm-real/keys/npm-v1-keys.npm-cli-test.json")
        let outcome = Result { try verifier.verify(name: version.name, version: version.version, integrity: version.integrity,
                                                   signatures: version.signatures, publishTime: nil) }
        switch outcome {
        case .success: #expect(version.expectValid)
        case .failure(let error):
            #expect(!version.expectValid, "\(error)")
            #expect((error as? NpmVerifyError)?.code == .invalidSignature)
        }
    }

    /// npm's TUF target lists its one key for two usages: both entries share one `PublicKey`,
    /// whose verifications then count together toward preparing it.
    @Test func aKeyListedForTwoUsagesIsOneKey() throws {
        let keys = try RegistryKey.parseTUFKeys(try Self.data("public-good/registry.npmjs.org-keys.json"))
        #expect(keys.map(\.usage) == ["npm:signatures", "npm:attestations"])
        #expect(keys[0].publicKey === keys[1].publicKey)
    }

    @Test func expiryIsJudgedAgainstThePublishTime() throws {
        let verifier = try Self.verifier("npm-real/keys/npm-v1-keys.corepack.json")
        let good = try #require(Self.signed.first { $0.expectValid })
        let before = ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z")
        let after = ISO8601DateFormatter().date(from: "2025-01-29T00:00:00Z")
        try verifier.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: good.signatures, publishTime: before)
        let error = #expect(throws: NpmVerifyError.self) {
            try verifier.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: good.signatures, publishTime: after)
        }
        #expect(error?.code == .expiredSignatureKey)
    }

    /// pacote reads `Date.parse(time || "2015-01-01")`; we refuse an expiring key with no time (the
    /// registry could drop it to keep an expired key alive). A time that does not parse is NaN
    /// there, after which no key is valid, so an expiring key counts as expired.
    @Test func anExpiringKeyNeedsAPublishTimeThatParsesAndPrecedesItsExpiry() throws {
        #expect(RegistryDate.publishTime(nil) == nil)
        #expect(RegistryDate.publishTime("2024-06-01T00:00:00.000Z") == ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z"))
        let verifier = try Self.verifier("npm-real/keys/npm-v1-keys.corepack.json")
        let good = try #require(Self.signed.first { $0.expectValid })
        for time in [nil, "yesterday"] {
            let error = #expect(throws: NpmVerifyError.self, "time \(time ?? "absent")") {
                try verifier.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: good.signatures,
                                    publishTime: RegistryDate.publishTime(time))
            }
            #expect(error?.code == .expiredSignatureKey)
        }
        // A key without expiry needs no time.
        let lasting = RegistrySignatureVerifier(keys: verifier.keys.map { RegistryKey(keyid: $0.keyid, publicKey: $0.publicKey, expires: nil, usage: $0.usage) })
        try lasting.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: good.signatures, publishTime: nil)
    }

    /// pacote matches key ids with `===`: a canonically equivalent spelling (U+212A for K) names no key.
    @Test func keyIdsAreMatchedByteForByte() throws {
        let real = try #require(try Self.verifier("npm-real/keys/npm-v1-keys.corepack.json").keys.first)
        let key = RegistryKey(keyid: "SHA256:KEY", publicKey: real.publicKey, expires: nil, usage: nil)
        #expect(key.isNamed("SHA256:KEY") && !key.isNamed("SHA256:\u{212A}EY"))
        let good = try #require(Self.signed.first { $0.expectValid })
        let error = #expect(throws: NpmVerifyError.self) {
            try RegistrySignatureVerifier(keys: [key]).verify(name: good.name, version: good.version, integrity: good.integrity,
                                                               signatures: [RegistrySignature(keyid: "SHA256:\u{212A}EY", sig: "AA==")], publishTime: nil)
        }
        #expect(error?.code == .missingSignatureKey)
    }

    @Test func unknownKeyTamperedMessageAndMissingSignatures() throws {
        let verifier = try Self.verifier("npm-real/keys/npm-v1-keys.npm-cli-test.json")
        let good = try #require(Self.signed.first { $0.expectValid })
        let unknown = [try #require(Self.signature(keyid: "SHA256:unknown", sig: good.signatures[0].sig))]
        #expect(throws: NpmVerifyError(.missingSignatureKey, "")) {
            do { try verifier.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: unknown, publishTime: nil) }
            catch let error as NpmVerifyError { throw NpmVerifyError(error.code, "") }
        }
        let tampered = #expect(throws: NpmVerifyError.self) {
            try verifier.verify(name: good.name, version: good.version, integrity: good.integrity + "x", signatures: good.signatures, publishTime: nil)
        }
        #expect(tampered?.code == .invalidSignature)
        let missing = #expect(throws: NpmVerifyError.self) {
            try verifier.verify(name: good.name, version: good.version, integrity: good.integrity, signatures: [], publishTime: nil)
        }
        #expect(missing?.code == .missingSignature)
    }

    @Test func tufKeysHonourKeyUsage() throws {
        let keys = try RegistryKey.parseTUFKeys(try Self.data("public-good/registry.npmjs.org-keys.json"))
        #expect(keys.map(\.usage) == ["npm:signatures", "npm:attestations"])
        #expect(RegistrySignatureVerifier(keys: keys).keys.count == 1)
        #expect(throws: NpmVerifyError.self) { try RegistryKey.parseRegistryKeys(Data("{\"keys\":[{\"keyid\":1}]}".utf8)) }
        #expect(throws: NpmVerifyError.self) { try RegistryKey.parseRegistryKeys(Data("{\"keys\":[{\"keyid\":\"a\",\"key\":\"AAAA\"}]}".utf8)) }
    }
}
