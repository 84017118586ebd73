public import Foundation
public import SafeJSON
import Synchronization

/// The fixture Sigstore world of one GitHub Actions job: its OIDC issuer, a Fulcio CA with
/// a CT log, a Rekor v1 log, a Rekor v2 log with an RFC 3161 timestamp authority (public-good's
/// newer shape), and the `trusted_root.json` that names them. In memory; the HTTP
/// side is `WorldServer`; the TUF side (`TUFRepository` + `ConnectProxy`) is the `FixtureTUF` module.
///
/// The issuer signs with GitHub's issuer identifier (`https://token.actions.githubusercontent.com`)
/// so that certificates and policies read exactly as real ones do; relying parties (Fulcio here,
/// the registry's exchange) get its JWKS in process, never by discovery over the network.
public final class SigstoreWorld: Sendable {
    public static let githubIssuer = "https://token.actions.githubusercontent.com"
    /// The Mochi publish job the world signs for unless told otherwise.
    public static let defaultJob = GitHubActionsJob(repository: "mochi-lang/mochi", ref: "refs/tags/v1.1.0")
    /// Where the trusted root says the services live (informational: the fixture's clients are told the loopback URLs).
    public static let fulcioURI = "https://fulcio.fixture.invalid"
    public static let rekorURI = "https://rekor.fixture.invalid"

    public let material: WorldMaterial
    public let issuer: OIDCIssuer
    public let ctLog: CTLog
    public let fulcio: FulcioCA
    public let rekor: RekorLog
    /// The Rekor v2 log (hashedrekord v0.0.2, Ed25519 C2SP checkpoints).
    public let rekorV2: RekorV2Log
    /// The timestamp authority whose tokens give Rekor v2 bundles their signing time.
    public let timestampAuthority: TimestampAuthority
    public let clock: @Sendable () -> Date
    /// Running jobs by their `ACTIONS_ID_TOKEN_REQUEST_TOKEN`: one issuer per job, all with the world's key.
    private let jobs = Mutex<[String: OIDCIssuer]>([:])

    /// Opens (or creates) the world stored in `directory`, or an in-memory one when nil.
    /// `nextJTI` pins the `jti` of the default job's ID tokens (recorded flows); default random.
    public init(directory: URL?, job: GitHubActionsJob = SigstoreWorld.defaultJob, requestToken: String? = nil,
                clock: @escaping @Sendable () -> Date = { Date() },
                nextJTI: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) async throws {
        let material = if let directory { try await WorldMaterial.loadOrCreate(in: directory, now: clock()) }
            else { try await WorldMaterial.generate(now: clock()) }
        self.material = material
        self.clock = clock
        issuer = try await OIDCIssuer(issuerURL: Self.githubIssuer, job: job, requestToken: requestToken,
                                      privateKeyPEM: material.oidcKeyPEM, clock: clock, nextJTI: nextJTI)
        ctLog = try CTLog(privateKeyPEM: material.ctLogKeyPEM, clock: clock)
        let verifier = try await OIDCTokenVerifier(jwks: issuer.jwks, issuer: Self.githubIssuer, audience: "sigstore", clock: clock)
        fulcio = try FulcioCA(material: material.fulcio, ctLog: ctLog, tokenVerifier: verifier, uri: Self.fulcioURI, clock: clock)
        rekor = try RekorLog(directory: directory?.appendingPathComponent("rekor"), clock: clock)
        rekorV2 = try RekorV2Log(directory: directory?.appendingPathComponent("rekor-v2"))
        let tsaMaterial = if let directory { try TimestampAuthority.Material.loadOrCreate(in: directory, notBefore: material.created) }
            else { try TimestampAuthority.Material.generate(notBefore: material.created) }
        timestampAuthority = try TimestampAuthority(material: tsaMaterial, clock: clock)
    }

    /// Starts a GitHub Actions job: its ID tokens carry the job's claims and are handed out for
    /// the returned request token (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`), as GitHub does per job.
    public func startJob(_ job: GitHubActionsJob) async throws -> OIDCIssuer {
        let jobIssuer = try await OIDCIssuer(issuerURL: Self.githubIssuer, job: job, privateKeyPEM: material.oidcKeyPEM,
                                             keyID: issuer.keyID, clock: clock)
        jobs.withLock { $0[jobIssuer.requestToken] = jobIssuer }
        return jobIssuer
    }

    /// The issuer of the job whose request token is `bearer` (the default job's issuer for its own token).
    func issuer(forRequestToken bearer: String?) -> OIDCIssuer {
        guard let bearer, bearer.lowercased().hasPrefix("bearer ") else { return issuer }
        let token = String(bearer.dropFirst("bearer ".count))
        return jobs.withLock { $0[token] } ?? issuer
    }

    /// A verifier for ID tokens of this world's issuer with `audience` (the registry's `npm:<host>`).
    public func tokenVerifier(audience: String) async throws -> OIDCTokenVerifier {
        try await OIDCTokenVerifier(jwks: issuer.jwks, issuer: Self.githubIssuer, audience: audience, clock: clock)
    }

    /// `trusted_root.json` (PROTOCOLS §7) naming this world's CA, CT log, both Rekor logs and the
    /// timestamp authority. The v2 log and the authority carry TrustedRoot v0.2's `checkpointKeyId`
    /// and `operator`; the media type stays `version=0.1` as public-good's does (sigstore-python
    /// 4.5.1 refuses `trustedroot.v0.2+json`).
    public func trustedRoot() throws -> JSONValue {
        [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [rekor.trustedRootTlog(baseURL: Self.rekorURI, validFrom: material.created),
                      rekorV2.trustedRootTlog(validFrom: material.created)],
            "certificateAuthorities": [try fulcio.trustedRootEntry(validFrom: material.created)],
            "ctlogs": [ctLog.trustedRootEntry(validFrom: material.created)],
            "timestampAuthorities": [timestampAuthority.trustedRootEntry(validFrom: material.created)],
        ]
    }

    /// The trusted root as pretty JSON bytes, as files and TUF targets carry it.
    public func trustedRootData() throws -> Data { try trustedRoot().serialized(pretty: true) }
}
