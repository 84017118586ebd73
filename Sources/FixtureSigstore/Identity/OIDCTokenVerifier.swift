import CodedError
public import Foundation
import JWTKit
public import SafeJSON

/// Verifies an OIDC ID token the way a relying party does (PROTOCOLS §1.7):
/// RS256 signature against a JWK Set, then `iss`, `aud`, `exp`/`nbf`/`iat` at
/// the injected clock with a small skew. Used by `FulcioCA` and by the
/// registry's trusted-publishing exchange.
public struct OIDCTokenVerifier: Sendable {
    public let issuer: String
    public let audience: String
    /// Allowed clock difference for `exp`, `nbf` and `iat`.
    public let skew: TimeInterval
    let clock: @Sendable () -> Date
    private let keys: JWTKeyCollection
    /// The `kid`s of the JWK Set; a token naming another is refused before any signature check.
    private let keyIDs: Set<String>

    /// `jwks` is the issuer's JWK Set document (`{"keys": [...]}`).
    public init(jwks: JSONValue, issuer: String, audience: String, skew: TimeInterval = 60,
                clock: @escaping @Sendable () -> Date = { Date() }) async throws {
        self.issuer = issuer
        self.audience = audience
        self.skew = skew
        self.clock = clock
        let keys = JWTKeyCollection()
        let json = String(decoding: try jwks.serialized(), as: UTF8.self)
        do { try await keys.add(jwksJSON: json) } catch {
            throw OIDCTokenError(.unknownKey, "the JWK Set of \(issuer) could not be loaded: \(error)")
        }
        self.keys = keys
        self.keyIDs = Set(jwks["keys"]?.arrayValue?.compactMap { $0["kid"]?.stringValue } ?? [])
    }

    /// The token's claims, or an `OIDCTokenError` naming the first check that failed.
    public func verify(_ token: String) async throws -> OIDCClaims {
        try checkHeader(token)
        let claims: OIDCClaims
        do { claims = try await keys.verify(token, as: OIDCClaims.self) } catch let error as JWTError {
            switch error.errorType {
            case .signatureVerificationFailed:
                throw OIDCTokenError(.badSignature, "the token's RS256 signature does not verify with the key of \(issuer)")
            case .unknownKID, .missingKIDHeader:
                throw OIDCTokenError(.unknownKey, "expected a kid from the JWK Set of \(issuer), found \(Self.header(token)?["kid"]?.stringValue ?? "none")")
            default:
                throw OIDCTokenError(.malformed, "the token could not be verified: \(error)")
            }
        } catch {
            throw OIDCTokenError(.malformed, "the token's payload is not a JSON object of claims: \(error)")
        }
        try checkClaims(claims)
        return claims
    }

    // MARK: - Checks

    private func checkHeader(_ token: String) throws {
        guard token.split(separator: ".", omittingEmptySubsequences: false).count == 3, let header = Self.header(token) else {
            throw OIDCTokenError(.malformed, "expected a JWS compact token (three base64url parts)")
        }
        guard header["alg"]?.stringValue == "RS256" else {
            throw OIDCTokenError(.badSignature, "expected alg RS256, found \(header["alg"]?.stringValue ?? "none")")
        }
        guard let kid = header["kid"]?.stringValue, keyIDs.contains(kid) else {
            throw OIDCTokenError(.unknownKey, "expected a kid from the JWK Set of \(issuer) (\(keyIDs.sorted().joined(separator: ", "))), found \(header["kid"]?.stringValue ?? "none")")
        }
    }

    private func checkClaims(_ claims: OIDCClaims) throws {
        guard claims.issuer == issuer else {
            throw OIDCTokenError(.wrongIssuer, "expected iss \(issuer), found \(claims.issuer ?? "none")")
        }
        guard claims.audiences.contains(audience) else {
            throw OIDCTokenError(.wrongAudience, "expected aud \(audience), found \(claims.audiences.joined(separator: ", "))")
        }
        let now = clock()
        guard let expiry = claims.expiresAt else { throw OIDCTokenError(.missingClaim, "expected an exp claim, found none") }
        guard now < expiry.addingTimeInterval(skew) else {
            throw OIDCTokenError(.expired, "token expired at \(expiry), now is \(now) (skew \(Int(skew)) s)")
        }
        if let notBefore = claims.notBefore, now.addingTimeInterval(skew) < notBefore {
            throw OIDCTokenError(.notYetValid, "token not valid before \(notBefore), now is \(now) (skew \(Int(skew)) s)")
        }
        if let issuedAt = claims.issuedAt, now.addingTimeInterval(skew) < issuedAt {
            throw OIDCTokenError(.issuedInFuture, "token issued at \(issuedAt), after now \(now) (skew \(Int(skew)) s)")
        }
    }

    /// The decoded JOSE header, or nil.
    static func header(_ token: String) -> JSONValue? {
        guard let part = token.split(separator: ".").first, let data = IdentityEncoding.decodeBase64URL(part) else { return nil }
        return try? JSONValue.parse(data)
    }
}
