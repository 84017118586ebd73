import Foundation

/// One package's trusted publisher (npm Trusted Publishing, PROTOCOLS §1.5): the GitHub
/// repository and workflow file whose OIDC tokens may be exchanged for a short-lived
/// publish token, optionally only from one deployment environment.
///
/// In `Registry/config.json`:
/// `"trustedPublishers": {"@mochi/example": {"repository": "mochi-lang/mochi",
///  "workflow": "mochi-publish-npm.yml", "user": "mochi-publisher"}}`
public struct TrustedPublisher: Sendable, Codable, Equatable {
    /// `OWNER/REPO`, compared with the token's `repository` claim.
    public var repository: String
    /// The workflow file name (no folder), compared with the file in `workflow_ref`.
    public var workflow: String
    /// A GitHub environment the job must run in, or nil for any.
    public var environment: String?
    /// The npm account the exchanged token publishes as (a publisher of the package).
    public var user: String

    public init(repository: String, workflow: String, environment: String? = nil, user: String) {
        self.repository = repository
        self.workflow = workflow
        self.environment = environment
        self.user = user
    }
}

/// What the registry needs from an OIDC issuer: the claims of a JWT whose signature
/// (against the issuer's JWKS), issuer, audience and time claims have been checked.
public protocol OIDCTokenValidating: Sendable {
    /// The verified claims, or an error naming the claim that failed (expected vs found).
    func verifiedClaims(of jwt: String, audience: String) async throws -> [String: String]
}
