import FixtureSigstore
import Foundation
import SafeJSON
import FixtureRegistry

/// One altered exchange request a replay sends, and how the registry must answer it.
public struct ExchangeVariant: Sendable {
    public enum Expectation: Sendable, Equatable {
        /// 201 with a token: a control showing the alteration machinery itself is sound.
        case accepted
        /// 401 `OIDC token exchange error - unauthorized`.
        case unauthorized
        /// 404 `OIDC token exchange error - package not found`.
        case packageNotFound
    }

    public let name: String
    public let expectation: Expectation
    let request: RecordedExchange.Request
    /// Where the pinned clock stands while this request is answered (nil: the recorded instant).
    let clock: Date?
}

/// Builds the variants of a recorded exchange: the JWT with each claim tampered without a
/// signature, each claim the exchange rules bind altered and re-signed with the TEST-ONLY key,
/// tokens of other jobs (repository, workflow file), another audience, expiry, no bearer, a
/// bogus bearer, `alg: none`, and a package without a trusted publisher.
struct ExchangeVariants {
    let recording: RecordedExchange
    let issuer: OIDCIssuer
    let skew: TimeInterval

    func all() async throws -> [ExchangeVariant] {
        let claims = try JWTParts(recording.jwt).claims()
        let now = try recording.pinnedDate
        var variants = try await control(claims)
        variants += try tampered(claims)
        variants += try await resigned(claims, now: now)
        variants += try await otherJobs(now: now)
        variants += try edgeCases(claims, now: now)
        return variants
    }

    // MARK: - Families

    /// The recorded claims re-signed must be accepted, or the re-signed refusals prove nothing. Only
    /// `jti` changes, as an ID token is exchanged once; the recorded JWT itself, sent again after the
    /// replay, is refused for that.
    private func control(_ claims: [String: JSONValue]) async throws -> [ExchangeVariant] {
        var fresh = claims
        fresh["jti"] = .string(recording.jti + "-control")
        return [variant("control: recorded claims re-signed with the test key", .accepted, jwt: try await issuer.signToken(claims: fresh)),
                variant("the recorded JWT exchanged again", .unauthorized, jwt: recording.jwt)]
    }

    /// Every claim altered in the payload while the original header and signature stay.
    private func tampered(_ claims: [String: JSONValue]) throws -> [ExchangeVariant] {
        let parts = try JWTParts(recording.jwt)
        return try claims.keys.sorted().map { name in
            var altered = claims
            altered[name] = Self.alter(claims[name] ?? .null)
            return variant("unsigned tamper: \(name)", .unauthorized, jwt: try parts.replacingClaims(altered))
        }
    }

    /// Each claim the exchange rules bind, altered and properly re-signed.
    private func resigned(_ claims: [String: JSONValue], now: Date) async throws -> [ExchangeVariant] {
        let repository = recording.trustedPublisher.repository
        let otherWorkflow = "\(repository)/.github/workflows/not-\(recording.trustedPublisher.workflow)@\(recording.job.ref)"
        var changes: [(String, String, JSONValue?)] = [
            ("another issuer", "iss", "https://token.actions.fixture.invalid"),
            ("another audience", "aud", "npm:registry.npmjs.org"),
            ("expired exp", "exp", .number((now.timeIntervalSince1970 - skew - 600).rounded(.down))),
            ("nbf in the future", "nbf", .number((now.timeIntervalSince1970 + skew + 600).rounded(.down))),
            ("iat in the future", "iat", .number((now.timeIntervalSince1970 + skew + 600).rounded(.down))),
            ("no exp", "exp", nil),
            ("another repository claim", "repository", .string("\(repository)-fork")),
            ("another repository_owner", "repository_owner", "someone-else"),
            ("another workflow_ref", "workflow_ref", .string(otherWorkflow)),
            ("another job_workflow_ref", "job_workflow_ref", .string(otherWorkflow)),
        ]
        if let environment = recording.trustedPublisher.environment {
            changes.append(("another environment", "environment", .string("not-\(environment)")))
        }
        var variants: [ExchangeVariant] = []
        for (label, name, value) in changes {
            var altered = claims
            altered[name] = value
            variants.append(variant("re-signed: \(label)", .unauthorized, jwt: try await issuer.signToken(claims: altered)))
        }
        return variants
    }

    /// Genuine tokens of other jobs (same issuer, key, clock and `jti`): another repository, another workflow file.
    private func otherJobs(now: Date) async throws -> [ExchangeVariant] {
        var otherRepository = recording.job
        otherRepository.repository = "someone-else/\(recording.job.repository.split(separator: "/").last ?? "repo")"
        otherRepository.repositoryID = "99"
        var otherWorkflow = recording.job
        otherWorkflow.workflowPath = ".github/workflows/release.yml"
        var variants: [ExchangeVariant] = []
        for (label, job) in [("another repository", otherRepository), ("another workflow file", otherWorkflow)] {
            let jobIssuer = try await OIDCIssuer(issuerURL: recording.issuer, job: job, privateKeyPEM: issuer.privateKeyPEM,
                                                 keyID: issuer.keyID, clock: { now },
                                                 nextJTI: { [recording] in recording.jti })
            variants.append(variant("job of \(label)", .unauthorized, jwt: try await jobIssuer.idToken(audience: recording.audience)))
        }
        return variants
    }

    /// Expiry by the clock, missing or bogus bearers, `alg: none`, and a package without a trusted publisher.
    private func edgeCases(_ claims: [String: JSONValue], now: Date) throws -> [ExchangeVariant] {
        let expiry = claims["exp"]?.numberValue ?? now.timeIntervalSince1970
        let unsigned = JWTParts.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + JWTParts.encode(try JSONValue.object(claims).serialized()) + "."
        return [
            ExchangeVariant(name: "recorded JWT after exp + skew", expectation: .unauthorized,
                            request: RecordedHTTP.exchangeRequest(package: recording.package, authorization: "Bearer \(recording.jwt)"),
                            clock: Date(timeIntervalSince1970: expiry + skew + 1)),
            ExchangeVariant(name: "no bearer", expectation: .unauthorized,
                            request: RecordedHTTP.exchangeRequest(package: recording.package, authorization: nil), clock: nil),
            variant("bearer that is not a JWT", .unauthorized, jwt: "not-a-jwt"),
            variant("alg none, no signature", .unauthorized, jwt: unsigned),
            ExchangeVariant(name: "package without a trusted publisher", expectation: .packageNotFound,
                            request: RecordedHTTP.exchangeRequest(package: Self.untrustedPackage(recording.package),
                                                                  authorization: "Bearer \(recording.jwt)"), clock: nil),
        ]
    }

    // MARK: - Helpers

    private func variant(_ name: String, _ expectation: ExchangeVariant.Expectation, jwt: String) -> ExchangeVariant {
        ExchangeVariant(name: name, expectation: expectation,
                        request: RecordedHTTP.exchangeRequest(package: recording.package, authorization: "Bearer \(jwt)"), clock: nil)
    }

    /// A different value of the same kind.
    static func alter(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text + "x")
        case .number(let number): .number(number + 1)
        default: .string("tampered")
        }
    }

    /// A sibling of `package` (same scope) that no trusted publisher covers.
    static func untrustedPackage(_ package: String) -> String {
        guard package.hasPrefix("@"), let slash = package.firstIndex(of: "/") else { return "untrusted-\(package)" }
        return String(package[...slash]) + "untrusted-" + String(package[package.index(after: slash)...])
    }
}
