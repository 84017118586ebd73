import FixtureSigstore
import FixtureTesting
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreVerify
import Testing

/// A world reopened from its folder keeps its trust: same trusted root, and what it signs after
/// the restart still chains to the root published before it.
@Suite struct SigstoreWorldTests {
    @Test func reopenedWorldKeepsItsTrustedRootAndSignsUnderIt() async throws {
        let folder = Scratch.path("sigstore-world")
        defer { Scratch.remove(folder) }
        let first = try await SigstoreWorld(directory: folder)
        let root = try first.trustedRootData()
        let second = try await SigstoreWorld(directory: folder)
        #expect(try second.trustedRootData() == root)
        #expect(second.issuer.jwks == first.issuer.jwks)

        let job = try await second.startJob(GitHubActionsJob(repository: "mochi-lang/mochi"))
        let token = try #require(await job.tokenResponse(authorization: "Bearer \(job.requestToken)", audience: "sigstore")
            .body["value"]?.stringValue)
        let request = try IdentityFixture.signingRequest(token: token)
        let response = await second.fulcio.signingCertificate(request: request)
        let pems = try #require(response.body["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue, "\(response.body)")
        let leafPEM = try #require(pems[0].stringValue)
        let leaf = try #require(try OpenSSLCrypto.Certificate.parsePEM(leafPEM).first)
        let trusted = try TrustedMaterial(jsonData: root)
        let path = try CertificateChainCheck().verify(leaf: leaf, at: [Date()], trusted: trusted)
        try SCTCheck().verify(path: path, trusted: trusted)
    }

    @Test func aJobsTokensCarryItsClaimsAndOthersRequestTokensAreRefused() async throws {
        let world = try await SigstoreWorld(directory: nil)
        let job = try await world.startJob(GitHubActionsJob(repository: "mochi-lang/mochi", ref: "refs/tags/v9.9.9"))
        let token = try #require(await job.tokenResponse(authorization: "Bearer \(job.requestToken)", audience: "npm:127.0.0.1")
            .body["value"]?.stringValue)
        let claims = try await world.tokenVerifier(audience: "npm:127.0.0.1").verify(token)
        #expect(claims["ref"] == "refs/tags/v9.9.9")
        #expect(await job.tokenResponse(authorization: "Bearer not-the-token", audience: "x").status == 401)
    }
}
