import CodedError
import FixtureSigstore
import Foundation
import SafeJSON
import Testing

/// The issuer mints GitHub-shaped tokens, and the verifier checks them with typed errors.
@Suite struct OIDCIssuerTests {
    @Test func tokenCarriesGitHubsClaimSet() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "npm:127.0.0.1")
        let header = try JSONValue.parse(Data(base64Encoded: Self.padded(String(token.split(separator: ".")[0])))!)
        #expect(header["alg"] == "RS256")
        #expect(header["typ"] == "JWT")
        #expect(header["kid"]?.stringValue == world.issuer.keyID)
        let claims = try IdentityFixture.payload(of: token)
        let iat = IdentityFixture.start.timeIntervalSince1970
        #expect(claims["iss"]?.stringValue == IdentityFixture.issuerURL)
        #expect(claims["aud"] == "npm:127.0.0.1")
        #expect(claims["sub"] == "repo:mochi-lang/example:ref:refs/tags/v1.0.0")
        #expect(claims["iat"]?.numberValue == iat)
        #expect(claims["nbf"]?.numberValue == iat)
        #expect(claims["exp"]?.numberValue == iat + 300)
        #expect(claims["jti"]?.stringValue?.isEmpty == false)
        #expect(claims["job_workflow_ref"] == "mochi-lang/example/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.0.0")
        #expect(claims["workflow_ref"] == claims["job_workflow_ref"])
        #expect(claims["ref_type"] == "tag")
        #expect(claims["repository_owner"] == "mochi-lang")
        #expect(claims["repository_visibility"] == "public")
        #expect(claims["runner_environment"] == "github-hosted")
        for name in ["sha", "job_workflow_sha", "workflow_sha", "run_id", "run_number", "run_attempt", "event_name", "actor",
                     "actor_id", "repository_id", "repository_owner_id", "workflow"] {
            #expect(claims[name]?.stringValue?.isEmpty == false, "\(name)")
        }
    }

    @Test func environmentChangesTheSubject() async throws {
        let job = GitHubActionsJob(repository: "mochi-lang/example", environment: "npm")
        let world = try await IdentityFixture.make(job: job)
        let claims = try IdentityFixture.payload(of: try await world.issuer.idToken(audience: "sigstore"))
        #expect(claims["sub"] == "repo:mochi-lang/example:environment:npm")
        #expect(claims["environment"] == "npm")
    }

    @Test func pinnedKeyClockAndJTIGiveTheSameToken() async throws {
        let world = try await IdentityFixture.make()
        let make = { () async throws -> String in
            let issuer = try await OIDCIssuer(issuerURL: IdentityFixture.issuerURL, job: world.job, privateKeyPEM: world.issuer.privateKeyPEM,
                                              clock: { IdentityFixture.start }, nextJTI: { "jti-1" })
            return try await issuer.idToken(audience: "sigstore")
        }
        let first = try await make(), second = try await make()
        #expect(first == second)
    }

    @Test func tokenEndpointRequiresTheRequestToken() async throws {
        let world = try await IdentityFixture.make()
        let missing = await world.issuer.tokenResponse(authorization: nil, audience: "sigstore")
        #expect(missing.status == 401)
        let wrong = await world.issuer.tokenResponse(authorization: "Bearer nope", audience: "sigstore")
        #expect(wrong.status == 401)
        let good = await world.issuer.tokenResponse(authorization: "Bearer request-token-for-tests", audience: "sigstore")
        #expect(good.status == 200)
        let token = try #require(good.body["value"]?.stringValue)
        #expect(try IdentityFixture.payload(of: token)["aud"] == "sigstore")
        let defaulted = await world.issuer.tokenResponse(authorization: "Bearer request-token-for-tests", audience: nil)
        #expect(try IdentityFixture.payload(of: try #require(defaulted.body["value"]?.stringValue))["aud"] == "https://github.com/mochi-lang")
    }

    @Test func discoveryAndJWKSHaveGitHubsShape() async throws {
        let world = try await IdentityFixture.make()
        let discovery = world.issuer.discoveryDocument
        #expect(discovery["issuer"]?.stringValue == IdentityFixture.issuerURL)
        #expect(discovery["jwks_uri"]?.stringValue == IdentityFixture.issuerURL + "/.well-known/jwks")
        #expect(discovery["id_token_signing_alg_values_supported"] == ["RS256"])
        let key = try #require(world.issuer.jwks["keys"]?.arrayValue?.first)
        #expect(key["kty"] == "RSA")
        #expect(key["alg"] == "RS256")
        #expect(key["use"] == "sig")
        #expect(key["e"] == "AQAB")
        #expect(key["n"]?.stringValue?.count == 342)  // 2048-bit modulus, unpadded base64url
    }

    // MARK: - Verifier

    @Test func verifierReturnsTheClaims() async throws {
        let world = try await IdentityFixture.make()
        let verifier = try await OIDCTokenVerifier(jwks: world.issuer.jwks, issuer: IdentityFixture.issuerURL, audience: "npm:127.0.0.1",
                                                   clock: world.clock.closure)
        let claims = try await verifier.verify(try await world.issuer.idToken(audience: "npm:127.0.0.1"))
        #expect(claims["repository"] == "mochi-lang/example")
        #expect(claims.subject == "repo:mochi-lang/example:ref:refs/tags/v1.0.0")
        #expect(claims.audiences == ["npm:127.0.0.1"])
    }

    @Test(arguments: [
        ("aud", JSONValue.string("npm:registry.npmjs.org"), OIDCTokenError.Code.wrongAudience),
        ("iss", .string("https://token.actions.githubusercontent.com"), .wrongIssuer),
        ("exp", .number(IdentityFixture.start.timeIntervalSince1970 - 120), .expired),
        ("nbf", .number(IdentityFixture.start.timeIntervalSince1970 + 600), .notYetValid),
        ("iat", .number(IdentityFixture.start.timeIntervalSince1970 + 600), .issuedInFuture),
        ("exp", .null, .missingClaim),
    ])
    func verifierRefusesAlteredClaims(claim: String, value: JSONValue, code: OIDCTokenError.Code) async throws {
        let world = try await IdentityFixture.make()
        var claims = world.job.claims(issuer: IdentityFixture.issuerURL, audience: "sigstore", issuedAt: world.clock.now, jti: "j")
        claims[claim] = value == .null ? nil : value
        let token = try await world.issuer.signToken(claims: claims)
        let verifier = try await OIDCTokenVerifier(jwks: world.issuer.jwks, issuer: IdentityFixture.issuerURL, audience: "sigstore",
                                                   clock: world.clock.closure)
        let error = await #expect(throws: OIDCTokenError.self) { try await verifier.verify(token) }
        #expect(error?.code == code, "\(String(describing: error))")
    }

    @Test func verifierRefusesAlteredPayloadBytes() async throws {
        let world = try await IdentityFixture.make()
        let token = try await world.issuer.idToken(audience: "sigstore")
        var parts = token.split(separator: ".").map(String.init)
        let altered = try IdentityFixture.payload(of: token)
        guard case .object(var object) = altered else { Issue.record("payload is not an object"); return }
        object["repository"] = "evil/repo"
        parts[1] = try JSONValue.object(object).serialized().base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let verifier = try await OIDCTokenVerifier(jwks: world.issuer.jwks, issuer: IdentityFixture.issuerURL, audience: "sigstore",
                                                   clock: world.clock.closure)
        let error = await #expect(throws: OIDCTokenError.self) { try await verifier.verify(parts.joined(separator: ".")) }
        #expect(error?.code == .badSignature)
    }

    static func padded(_ base64url: String) -> String {
        var s = base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return s
    }
}

extension OIDCIssuerTests {
    @Test(arguments: ["", "a.b", "not-base64.!!.x", "e30.e30.e30"])
    func verifierRefusesMalformedTokens(token: String) async throws {
        let world = try await IdentityFixture.make()
        let verifier = try await OIDCTokenVerifier(jwks: world.issuer.jwks, issuer: IdentityFixture.issuerURL, audience: "sigstore",
                                                   clock: world.clock.closure)
        await #expect(throws: OIDCTokenError.self) { try await verifier.verify(token) }
    }
}
