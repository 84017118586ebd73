public import CodedError

/// Why an OIDC ID token was refused; `code` is stable for tests, `message` says expected versus found.
public typealias OIDCTokenError = CodedFailure<OIDCTokenErrorDomain>

/// The domain of ``OIDCTokenError``: its codes are the static members below.
public enum OIDCTokenErrorDomain: ErrorDomain {
    public static func describe(_ code: ErrorCode<Self>, _ message: String) -> String { "OIDC token refused (\(code)): \(message)" }
}

extension ErrorCode where Domain == OIDCTokenErrorDomain {
    /// Not a JWS compact token, or its payload is not a JSON object of claims.
    public static let malformed = Self("malformed")
    /// The issuer's JWK Set could not be loaded or has no key with the token's `kid`.
    public static let unknownKey = Self("unknownKey")
    /// Not RS256, or the signature does not verify.
    public static let badSignature = Self("badSignature")
    /// `iss` is not the issuer this verifier trusts.
    public static let wrongIssuer = Self("wrongIssuer")
    /// `aud` does not name the expected audience.
    public static let wrongAudience = Self("wrongAudience")
    /// `exp` is past, beyond the allowed skew.
    public static let expired = Self("expired")
    /// `nbf` is still ahead, beyond the allowed skew.
    public static let notYetValid = Self("notYetValid")
    /// `iat` is ahead of now, beyond the allowed skew.
    public static let issuedInFuture = Self("issuedInFuture")
    /// A claim the verifier requires is absent.
    public static let missingClaim = Self("missingClaim")
}
