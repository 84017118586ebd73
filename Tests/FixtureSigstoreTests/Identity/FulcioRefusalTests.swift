import Crypto
import FixtureSigstore
import Foundation
import SafeJSON
import Testing

/// Fulcio refuses what the real one refuses, with a status and a message naming the reason.
@Suite struct FulcioRefusalTests {
    static func expectRefusal(_ response: IdentityHTTPResponse, status: Int, mentioning text: String) {
        #expect(response.status == status, "\(response.body)")
        let message = response.body["message"]?.stringValue ?? ""
        #expect(message.contains(text), "\(message)")
        #expect(response.body["signedCertificateEmbeddedSct"] == nil)
    }

    @Test func refusesTokenForAnotherAudience() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "npm:127.0.0.1")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 401, mentioning: "expected aud sigstore, found npm:127.0.0.1")
    }

    @Test func refusesExpiredToken() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        world.clock.advance(by: 300 + 61)
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 401, mentioning: "token expired")
    }

    @Test func acceptsTokenWithinTheSkew() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        world.clock.advance(by: 300 + 30)
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        #expect(response.status == 200, "\(response.body)")
    }

    @Test func refusesTokenSignedByAnotherKeyWithTheSameKid() async throws {
        let world = try await IdentityFixture.make()
        let forger = try await OIDCIssuer(issuerURL: IdentityFixture.issuerURL, job: world.job, keyID: world.issuer.keyID,
                                          clock: world.clock.closure)
        let token = try await forger.idToken(audience: "sigstore")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 401, mentioning: "signature does not verify")
    }

    @Test func refusesTokenSignedByAnUnknownKey() async throws {
        let world = try await IdentityFixture.make()
        let forger = try await OIDCIssuer(issuerURL: IdentityFixture.issuerURL, job: world.job, clock: world.clock.closure)
        let token = try await forger.idToken(audience: "sigstore")
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 401, mentioning: "expected a kid from the JWK Set")
    }

    @Test func refusesTokenFromAnotherIssuer() async throws {
        let world = try await IdentityFixture.make()
        var claims = world.job.claims(issuer: "https://token.actions.githubusercontent.com", audience: "sigstore",
                                      issuedAt: world.clock.now, jti: "x")
        claims["iss"] = "https://token.actions.githubusercontent.com"
        let token = try await world.issuer.signToken(claims: claims)
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 401, mentioning: "expected iss \(IdentityFixture.issuerURL)")
    }

    @Test func refusesTokenMissingAGitHubClaim() async throws {
        let world = try await IdentityFixture.make()
        var claims = world.job.claims(issuer: IdentityFixture.issuerURL, audience: "sigstore", issuedAt: world.clock.now, jti: "x")
        claims["job_workflow_ref"] = nil
        let token = try await world.issuer.signToken(claims: claims)
        let response = await world.fulcio.signingCertificate(request: try IdentityFixture.signingRequest(token: token))
        Self.expectRefusal(response, status: 400, mentioning: "job_workflow_ref")
    }

    @Test func refusesProofOfPossessionByAnotherKey() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        let request = try IdentityFixture.signingRequest(token: token, popKey: P256.Signing.PrivateKey())
        let response = await world.fulcio.signingCertificate(request: request)
        Self.expectRefusal(response, status: 400, mentioning: "could not be verified")
    }

    @Test func refusesProofOfPossessionOverAnotherSubject() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        let request = try IdentityFixture.signingRequest(token: token, popSubject: "repo:someone/else:ref:refs/heads/main")
        let response = await world.fulcio.signingCertificate(request: request)
        Self.expectRefusal(response, status: 400, mentioning: "could not be verified")
    }

    @Test func refusesMalformedRequests() async throws {
        let world = try await IdentityFixture.make()
        Self.expectRefusal(await world.fulcio.signingCertificate(requestBody: Data("not json".utf8)), status: 400, mentioning: "JSON")
        Self.expectRefusal(await world.fulcio.signingCertificate(request: ["credentials": [:]]), status: 400,
                           mentioning: "credentials.oidcIdentityToken")
        let token = try await world.issuer.idToken(audience: "sigstore")
        var request = try IdentityFixture.signingRequest(token: token)
        if case .object(var top) = request, case .object(var keyRequest)? = top["publicKeyRequest"] {
            keyRequest["publicKey"] = ["algorithm": "ECDSA", "content": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"]
            top["publicKeyRequest"] = .object(keyRequest)
            request = .object(top)
        }
        Self.expectRefusal(await world.fulcio.signingCertificate(request: request), status: 400, mentioning: "could not be parsed")
    }
}
