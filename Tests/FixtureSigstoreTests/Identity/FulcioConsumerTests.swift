import CodedError
import FixtureSigstore
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing

/// The cross-implementation tests: certificates the swift-certificates CA issues
/// must pass the OpenSSL consumer's own checks.
@Suite struct FulcioConsumerTests {
    /// Issues a leaf over HTTP-shaped JSON and returns the PEM chain.
    static func issue(_ world: IdentityFixture) async throws -> [OpenSSLCrypto.Certificate] {
        let token = try await world.issuer.idToken(audience: "sigstore")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        #expect(response.status == 200, "\(response.body)")
        let pems = try #require(response.body["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue)
        #expect(pems.count == 3)
        return try pems.map { item in
            let pem = try #require(item.stringValue)
            return try #require(try OpenSSLCrypto.Certificate.parsePEM(pem).first)
        }
    }

    @Test func issuedLeafPassesChainProfileAndSCTChecks() async throws {
        let world = try await IdentityFixture.make()
        let chain = try await Self.issue(world)
        let trusted = try TrustedMaterial(jsonData: try world.trustedRootJSON())
        let signingTime = IdentityFixture.start.addingTimeInterval(30)
        let path = try CertificateChainCheck().verify(leaf: chain[0], at: [signingTime], trusted: trusted)
        #expect(path.count == 3)
        try LeafProfileCheck().verify(chain[0])
        try SCTCheck().verify(path: path, trusted: trusted)
        #expect(chain[0].notAfter.timeIntervalSince(chain[0].notBefore) == 600)
        #expect(chain[0].notBefore == IdentityFixture.start)
    }

    @Test func leafIsRefusedOutsideItsTenMinutes() async throws {
        let world = try await IdentityFixture.make()
        let chain = try await Self.issue(world)
        let trusted = try TrustedMaterial(jsonData: try world.trustedRootJSON())
        #expect(throws: VerificationError.self) {
            try CertificateChainCheck().verify(leaf: chain[0], at: [IdentityFixture.start.addingTimeInterval(601)], trusted: trusted)
        }
    }

    @Test func fulcioIdentityEqualsTheJobsValues() async throws {
        let job = GitHubActionsJob(repository: "mochi-lang/example", repositoryID: "111", repositoryOwnerID: "222",
                                   ref: "refs/tags/v1.0.0", sha: String(repeating: "ab", count: 20), runID: "333", runAttempt: "2",
                                   environment: "npm")
        let world = try await IdentityFixture.make(job: job)
        let leaf = try await Self.issue(world)[0]
        let identity = FulcioIdentity(certificate: leaf)
        #expect(identity.subjectAlternativeName == "https://github.com/mochi-lang/example/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.0.0")
        #expect(identity.issuer == IdentityFixture.issuerURL)
        let expected: [FulcioIdentity.Field: String] = [
            .issuerV2: IdentityFixture.issuerURL, .buildSignerURI: job.buildSignerURI, .buildSignerDigest: job.sha,
            .runnerEnvironment: "github-hosted", .sourceRepositoryURI: "https://github.com/mochi-lang/example",
            .sourceRepositoryDigest: job.sha, .sourceRepositoryRef: "refs/tags/v1.0.0", .sourceRepositoryIdentifier: "111",
            .sourceRepositoryOwnerURI: "https://github.com/mochi-lang", .sourceRepositoryOwnerIdentifier: "222",
            .buildConfigURI: "https://github.com/" + job.workflowRef, .buildConfigDigest: job.sha, .buildTrigger: "push",
            .runInvocationURI: "https://github.com/mochi-lang/example/actions/runs/333/attempts/2",
            .sourceRepositoryVisibility: "public", .deploymentEnvironment: "npm",
        ]
        for (field, value) in expected { #expect(identity[field] == value, "\(field)") }
        try IdentityPolicy(subjectAlternativeName: .exact(job.buildSignerURI), issuer: IdentityFixture.issuerURL, extensions: expected)
            .verify(identity)
        // The deprecated .1–.6 carry raw string bytes.
        let raw = Dictionary(uniqueKeysWithValues: leaf.extensions.filter { $0.oid.hasPrefix("1.3.6.1.4.1.57264.1.") }
            .map { ($0.oid, String(decoding: $0.value, as: UTF8.self)) })
        #expect(raw["1.3.6.1.4.1.57264.1.1"] == IdentityFixture.issuerURL)
        #expect(raw["1.3.6.1.4.1.57264.1.2"] == "push")
        #expect(raw["1.3.6.1.4.1.57264.1.3"] == job.sha)
        #expect(raw["1.3.6.1.4.1.57264.1.4"] == "Publish")
        #expect(raw["1.3.6.1.4.1.57264.1.5"] == "mochi-lang/example")
        #expect(raw["1.3.6.1.4.1.57264.1.6"] == "refs/tags/v1.0.0")
        // SCT list is the last extension, SAN is critical, poison is gone.
        #expect(leaf.extensions.last?.oid == OID.embeddedSCTList)
        #expect(leaf.extensions.first { $0.oid == OID.subjectAltName }?.critical == true)
        #expect(!leaf.extensions.contains { $0.oid == "1.3.6.1.4.1.11129.2.4.3" })
    }

    @Test func tamperedSCTFailsOurSCTCheck() async throws {
        let world = try await IdentityFixture.make()
        let chain = try await Self.issue(world)
        let trusted = try TrustedMaterial(jsonData: try world.trustedRootJSON())
        let value = try #require(chain[0].extensionValue(oid: OID.embeddedSCTList))
        // Flip one bit of the SCT timestamp inside the leaf's DER (same length, so the DER stays well formed),
        // then check with the untouched intermediate: the SCT signature no longer covers it.
        let sct = try #require(try SignedCertificateTimestamp.parseList(extensionValue: value).first)
        var der = chain[0].derBytes
        let start = try #require(Self.range(of: value, in: der)).lowerBound
        let header = value[1] < 0x80 ? 2 : 2 + Int(value[1] & 0x7F)
        let timestampOffset = start + header + 2 + 2 + 1 + 32 + 7  // list length, SCT length, version, log id, last timestamp byte
        der[timestampOffset] ^= 0x01
        let tampered = try OpenSSLCrypto.Certificate(der: der)
        let tamperedValue = try #require(tampered.extensionValue(oid: OID.embeddedSCTList))
        let tamperedSCT = try #require(try SignedCertificateTimestamp.parseList(extensionValue: tamperedValue).first)
        #expect(tamperedSCT.timestamp == sct.timestamp ^ 1)
        #expect(throws: VerificationError.self) { try SCTCheck().verify(path: [tampered, chain[1], chain[2]], trusted: trusted) }
        // The untouched leaf passes, and an SCT checked against another CT log's key fails.
        try SCTCheck().verify(path: Array(chain), trusted: trusted)
        let otherLog = try CTLog(clock: world.clock.closure)
        #expect(try sct.verify(certificate: chain[0], issuer: chain[1], logKey: try PublicKey(spkiDER: otherLog.publicKeyDER)) == false)
    }

    /// Found by review: identity extensions that two readers read differently are refused, each
    /// made from a genuine leaf by changing bytes in place (the profile check reads no signature).
    @Test func identityExtensionsThatReadTwoWaysAreRefused() async throws {
        let world = try await IdentityFixture.make()
        let leaf = try await Self.issue(world)[0]
        try LeafProfileCheck().verify(leaf)
        func oid(_ number: UInt8) -> [UInt8] { [0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xBF, 0x30, 0x01, number] }
        func tampered(_ edit: (inout [UInt8]) throws -> Void) throws -> OpenSSLCrypto.Certificate {
            var der = leaf.derBytes
            try edit(&der)
            return try OpenSSLCrypto.Certificate(der: der)
        }
        // .13 (source repository digest) renamed .12: the source repository twice.
        let twice = try tampered { der in der[try #require(Self.range(of: oid(13), in: der)).upperBound - 1] = 12 }
        #expect(twice.extensions.filter { $0.oid == "1.3.6.1.4.1.57264.1.12" }.count == 2)
        let duplicate = #expect(throws: VerificationError.self) { try LeafProfileCheck().verify(twice) }
        #expect(duplicate?.code == .leafProfile)
        #expect(duplicate?.message.contains("1.3.6.1.4.1.57264.1.12 twice") == true, "\(String(describing: duplicate))")
        // .12 as an IA5String instead of a UTF8String.
        let ia5 = try tampered { der in der[try #require(Self.range(of: oid(12), in: der)).upperBound + 2] = 0x16 }
        #expect(ia5.extensionValue(oid: "1.3.6.1.4.1.57264.1.12")?.first == 0x16)
        let notUTF8 = #expect(throws: VerificationError.self) { try LeafProfileCheck().verify(ia5) }
        #expect(notUTF8?.message.contains("DER UTF8String, found tag 0x16") == true, "\(String(describing: notUTF8))")
        // The legacy issuer (.1) differs from the v2 one (.8) by one byte.
        let issuers = try tampered { der in der[try #require(Self.range(of: oid(1), in: der)).upperBound + 2] ^= 0x20 }
        #expect(issuers.extensionValue(oid: "1.3.6.1.4.1.57264.1.1") != leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.1"))
        let disagree = #expect(throws: VerificationError.self) { try LeafProfileCheck().verify(issuers) }
        #expect(disagree?.message.contains("OIDC issuer extensions to agree") == true, "\(String(describing: disagree))")
    }

    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }
}
