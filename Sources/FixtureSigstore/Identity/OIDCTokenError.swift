public import CodedError

/// Why an OIDC ID token was refused; `code` is stable for tests, `message` says expected versus found.
public struct OIDCTokenError: CodedError, Sendable {
    public enum Code: String, Sendable, Hashable {
        case malformed, unknownKey, badSignature, wrongIssuer, wrongAudience, expired, notYetValid, issuedInFuture, missingClaim
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }

    public var description: String { "OIDC token refused (\(code.rawValue)): \(message)" }
}
