import Crypto
import Hex
public import Foundation
import JWTKit
public import SafeJSON
import _CryptoExtras

/// A GitHub-Actions-like OIDC token issuer for one job (PROTOCOLS §1.2, §1.6, §1.7).
///
/// It signs RS256 ID tokens with GitHub's claim set, publishes its discovery
/// document and JWKS, and answers the `ACTIONS_ID_TOKEN_REQUEST_URL` token
/// endpoint. In memory; `IdentityRoutes` puts it on HTTP.
public struct OIDCIssuer: Sendable {
    /// The `iss` claim and the base of the discovery URLs (no trailing slash).
    public let issuerURL: String
    /// The `kid` of the signing key (hex of the first 16 bytes of SHA-256 over its DER SPKI unless given).
    public let keyID: String
    /// The job whose tokens this issuer mints.
    public let job: GitHubActionsJob
    /// The secret `ACTIONS_ID_TOKEN_REQUEST_TOKEN` the token endpoint requires as a bearer token.
    public let requestToken: String
    /// ID token lifetime (GitHub: five minutes).
    public let tokenLifetime: TimeInterval

    let privateKey: _RSA.Signing.PrivateKey
    private let publicJWK: JSONValue
    let clock: @Sendable () -> Date
    let nextJTI: @Sendable () -> String
    private let signer: JWTKeyCollection

    /// Creates an issuer; without `privateKeyPEM` a fresh RSA-2048 key is generated.
    /// `nextJTI` lets recorded flows pin the `jti` claim (default: a random UUID).
    public init(issuerURL: String, job: GitHubActionsJob, requestToken: String? = nil, privateKeyPEM: String? = nil,
                keyID: String? = nil, tokenLifetime: TimeInterval = 300,
                clock: @escaping @Sendable () -> Date = { Date() },
                nextJTI: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) async throws {
        let key = try privateKeyPEM.map { try _RSA.Signing.PrivateKey(pemRepresentation: $0) }
            ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
        self.privateKey = key
        let primitives = try key.publicKey.getKeyPrimitives()
        self.issuerURL = issuerURL.hasSuffix("/") ? String(issuerURL.dropLast()) : issuerURL
        self.keyID = keyID ?? Hex.encode(IdentityEncoding.sha256(key.publicKey.derRepresentation).prefix(16))
        self.job = job
        self.requestToken = requestToken ?? IdentityEncoding.randomToken()
        self.tokenLifetime = tokenLifetime
        self.publicJWK = [
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": .string(self.keyID),
            "n": .string(IdentityEncoding.base64URL(primitives.modulus)),
            "e": .string(IdentityEncoding.base64URL(primitives.publicExponent)),
        ]
        self.clock = clock
        self.nextJTI = nextJTI
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.signer = JWTKeyCollection()
        await signer.add(rsa: try Insecure.RSA.PrivateKey(backing: key), digestAlgorithm: .sha256,
                         kid: JWKIdentifier(string: self.keyID), serializer: DefaultJWTSerializer(jsonEncoder: encoder))
    }

    /// The signing key as PKCS#8 PEM, so a world can persist it.
    public var privateKeyPEM: String { privateKey.pemRepresentation }

    // MARK: - Tokens

    /// An RS256 ID token for `audience`, issued now by the injected clock.
    public func idToken(audience: String) async throws -> String {
        let claims = job.claims(issuer: issuerURL, audience: audience, issuedAt: clock(), jti: nextJTI(), lifetime: tokenLifetime)
        return try await signToken(claims: claims)
    }

    /// Signs an arbitrary claim set with this issuer's key (tests use it to forge altered tokens).
    public func signToken(claims: [String: JSONValue]) async throws -> String {
        var header = JWTHeader()
        header.typ = "JWT"
        header.alg = "RS256"
        return try await signer.sign(OIDCClaims(claims), kid: JWKIdentifier(string: keyID), header: header)
    }

    /// The token endpoint: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=X` with `Authorization: Bearer <request token>`
    /// answers `{"value": "<jwt>"}` (actions/toolkit's contract); a missing or wrong bearer token is a 401.
    /// Without `audience` GitHub uses the owner's URL.
    public func tokenResponse(authorization: String?, audience: String?) async -> IdentityHTTPResponse {
        guard let authorization, authorization.lowercased().hasPrefix("bearer "),
              IdentityEncoding.secretsEqual(String(authorization.dropFirst("bearer ".count)), requestToken)
        else {
            let found = authorization == nil ? "no Authorization header" : "a bearer token that does not match"
            return IdentityHTTPResponse(status: 401, body: ["message": .string("expected the job's ACTIONS_ID_TOKEN_REQUEST_TOKEN as a bearer token, found \(found)")])
        }
        let audience = audience ?? "https://github.com/\(job.repositoryOwner)"
        do {
            return IdentityHTTPResponse(status: 200, body: ["value": .string(try await idToken(audience: audience))])
        } catch {
            return IdentityHTTPResponse(status: 500, body: ["message": .string("could not sign the ID token: \(error)")])
        }
    }

    // MARK: - Discovery

    /// `<issuer>/.well-known/openid-configuration`, shaped like GitHub's.
    public var discoveryDocument: JSONValue {
        let claims = ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "sha", "repository", "repository_id",
                      "repository_owner", "repository_owner_id", "run_id", "run_number", "run_attempt", "actor", "actor_id",
                      "workflow", "workflow_ref", "workflow_sha", "head_ref", "base_ref", "event_name", "ref_type",
                      "environment", "job_workflow_ref", "job_workflow_sha", "repository_visibility", "runner_environment"]
        return [
            "issuer": .string(issuerURL),
            "jwks_uri": .string(issuerURL + "/.well-known/jwks"),
            "subject_types_supported": ["public", "pairwise"],
            "response_types_supported": ["id_token"],
            "claims_supported": .array(claims.map(JSONValue.string)),
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid"],
        ]
    }

    /// The JWK Set at `jwks_uri`: one RSA key (`kty`, `alg`, `use`, `kid`, `n`, `e`).
    public var jwks: JSONValue { ["keys": [publicJWK]] }
}
