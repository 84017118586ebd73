import Foundation

/// `POST /-/npm/v1/oidc/token/exchange/package/<escaped name>` (PROTOCOLS §1.3): a GitHub
/// Actions ID token in, a publish token for that one package out.
///
/// The fixture's rules (the real registry documents them only informally):
/// 1. the package must have a trusted publisher, else 404 `package not found`;
/// 2. the JWT must verify against the issuer (signature, `iss`, `aud` = `npm:<registry host>`,
///    `exp`/`nbf`/`iat` with a small skew), else 401 `unauthorized`;
/// 3. `repository` must equal the configured repository and `repository_owner` its owner, the
///    file of `workflow_ref` and of `job_workflow_ref` must be `.github/workflows/<workflow>` in
///    that repository, and a configured environment must equal the `environment` claim, else
///    401 `unauthorized`.
/// 4. each ID token (`jti`) is exchanged once, else 401 `unauthorized`.
/// The minted token is limited to the package and lives `tokenLifetime` seconds; only its hash is
/// stored. The ID token's `jti` seeds the store's token generator (random unless a recorded flow
/// installed a deterministic one).
struct TrustedPublishingExchange: Sendable {
    static let tokenLifetime: TimeInterval = 15 * 60

    let publishers: [String: TrustedPublisher]
    let validator: any OIDCTokenValidating
    let tokens: TokenStore

    /// The refusal npm prints (`error.body.message`), and why, for the registry's log.
    struct Refusal: Error, Equatable {
        enum Kind: Equatable { case packageNotFound, unauthorized }
        let kind: Kind
        let reason: String

        /// npm's wording first, then the fixture's detail.
        var message: String {
            switch kind {
            case .packageNotFound: "OIDC token exchange error - package not found"
            case .unauthorized: "OIDC token exchange error - unauthorized"
            }
        }
    }

    /// Exchanges the bearer JWT for a package-scoped token.
    func exchange(package: PackageName, authorization: String?, registryHost: String) async throws(Refusal) -> String {
        guard let publisher = publishers[package.description] else {
            throw Refusal(kind: .packageNotFound, reason: "\(package) has no trusted publisher configured")
        }
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
            throw Refusal(kind: .unauthorized, reason: "no bearer OIDC token")
        }
        let jwt = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        let claims: [String: String]
        do { claims = try await validator.verifiedClaims(of: jwt, audience: "npm:\(registryHost)") } catch {
            throw Refusal(kind: .unauthorized, reason: "\(error)")
        }
        try Self.match(claims, publisher: publisher, package: package)
        // One ID token, one publish token: an ID token seen in transit cannot be exchanged again.
        guard let tokenID = claims["jti"], !tokenID.isEmpty else { throw Refusal(kind: .unauthorized, reason: "the ID token has no jti") }
        let fresh: Bool
        do { fresh = try tokens.claimExchange(of: tokenID) } catch {
            throw Refusal(kind: .unauthorized, reason: "cannot record the exchange of \(tokenID.prefix(64)): \(error)")
        }
        guard fresh else {
            throw Refusal(kind: .unauthorized, reason: "the ID token \(tokenID.prefix(64)) was already exchanged")
        }
        do {
            return try tokens.mint(user: publisher.user, restriction: package.description,
                                   lifetime: Self.tokenLifetime, origin: "oidc:\(publisher.repository)", seed: claims["jti"])
        } catch {
            throw Refusal(kind: .unauthorized, reason: "cannot mint a token for \(publisher.user): \(error)")
        }
    }

    /// Checks the token's repository, workflow file, environment and runner against the publisher.
    static func match(_ claims: [String: String], publisher: TrustedPublisher, package: PackageName) throws(Refusal) {
        func refuse(_ what: String, found: String?, expected: String) -> Refusal {
            Refusal(kind: .unauthorized, reason: "\(package): token \(what) is \(found.map { "\"\($0)\"" } ?? "missing"), "
                        + "the trusted publisher requires \"\(expected)\"")
        }
        guard claims["repository"] == publisher.repository else {
            throw refuse("repository", found: claims["repository"], expected: publisher.repository)
        }
        let owner = String(publisher.repository.prefix { $0 != "/" })
        guard claims["repository_owner"] == owner else {
            throw refuse("repository_owner", found: claims["repository_owner"], expected: owner)
        }
        let expectedPath = "\(publisher.repository)/.github/workflows/\(publisher.workflow)"
        for claim in ["workflow_ref", "job_workflow_ref"] {
            guard claims[claim].map({ String($0.prefix { $0 != "@" }) }) == expectedPath else {
                throw refuse(claim, found: claims[claim], expected: expectedPath + "@<ref>")
            }
        }
        if let environment = publisher.environment, claims["environment"] != environment {
            throw refuse("environment", found: claims["environment"], expected: environment)
        }
        // npm supports GitHub-hosted runners only (found by review: a self-hosted one was let through).
        guard claims["runner_environment"] == "github-hosted" else {
            throw refuse("runner_environment", found: claims["runner_environment"], expected: "github-hosted")
        }
    }
}
