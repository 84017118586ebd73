import FixtureSigstore
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreVerify
import Testing

/// Persisted keys reload into services that issue certificates the same trusted root accepts.
@Suite struct IdentityServicesTests {
    @Test func keysRoundTripThroughJSONAndStillChainToTheSameRoot() async throws {
        let clock = IdentityTestClock(IdentityFixture.start)
        let job = GitHubActionsJob(repository: "mochi-lang/example")
        let first = try await IdentityServices.make(issuerURL: IdentityFixture.issuerURL, job: job, clock: clock.closure)
        let saved = try JSONEncoder().encode(first.keys)
        let keys = try JSONDecoder().decode(IdentityServices.Keys.self, from: saved)
        let second = try await IdentityServices.make(issuerURL: IdentityFixture.issuerURL, job: job, keys: keys,
                                                     requestToken: "t", clock: clock.closure)
        #expect(second.keys == first.keys)
        #expect(second.issuer.jwks == first.issuer.jwks)
        #expect(second.ctLog.logID == first.ctLog.logID)

        let entries = try first.trustedRootEntries()
        let authority = try #require(entries.certificateAuthorities.first)
        #expect(authority["subject"] == ["organization": "mochi-fixture.sigstore.dev", "commonName": "sigstore"])
        #expect(authority["uri"] == "https://fulcio.fixture.invalid")
        #expect(authority["certChain"]?["certificates"]?.arrayValue?.count == 2)
        #expect(authority["validFor"]?["start"] == "2025-12-31T23:00:00.000Z")
        let root: JSONValue = ["mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": [],
                               "certificateAuthorities": .array(entries.certificateAuthorities), "ctlogs": .array(entries.ctlogs)]
        let trusted = try TrustedMaterial(jsonData: try root.serialized())

        let token = await second.issuer.tokenResponse(authorization: "Bearer t", audience: "sigstore").body["value"]?.stringValue
        let request = try IdentityFixture.signingRequest(token: try #require(token))
        let response = await second.fulcio.signingCertificate(request: request)
        let pems = try #require(response.body["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue)
        let leafPEM = try #require(pems[0].stringValue)
        let leaf = try #require(try OpenSSLCrypto.Certificate.parsePEM(leafPEM).first)
        let path = try CertificateChainCheck().verify(leaf: leaf, at: [IdentityFixture.start], trusted: trusted)
        try SCTCheck().verify(path: path, trusted: trusted)
    }
}
