import Crypto
public import CurlTransport
public import Foundation
import SafeJSON
public import CodedError
public import SigstoreModels

/// Plays `npm publish --provenance --access=public` in a GitHub Actions job with trusted
/// publishing (PROTOCOLS §1, §2.1): OIDC token → registry token exchange → ephemeral key →
/// Fulcio certificate → DSSE-signed SLSA provenance → Rekor entry → Sigstore bundle → `PUT`.
///
/// No long-lived secret is involved: the only credentials are the job's ID-token request
/// pair and the short-lived token the registry returns for this one package.
public struct TrustedPublishingClient: Sendable {
    /// Where the flow talks to and what it produces.
    public struct Configuration: Sendable {
        /// The npm registry (a path prefix is kept for the publish, dropped for the exchange).
        public var registry: String
        /// Fulcio base URL (npm hard-wires https://fulcio.sigstore.dev).
        public var fulcioURL: String
        /// Base URL of the log the bundle is written to: Rekor v1 (npm hard-wires https://rekor.sigstore.dev)
        /// or, with `rekorVersion` v2, the Rekor v2 log (public-good: https://log2025-1.rekor.sigstore.dev).
        public var rekorURL: String
        /// v1 (`dsse`/`intoto` entries with a SET, as npm does) or v2 (`hashedrekord` 0.0.2 over the DSSE PAE
        /// plus an RFC 3161 timestamp, as public-good's newest clients do; v0.3 bundles only).
        public var rekorVersion: RekorVersion
        /// The timestamp authority's base URL (Rekor v2 only; public-good: https://timestamp.sigstore.dev).
        public var timestampAuthorityURL: String
        /// v0.3 as npm 11 (Rekor `dsse`), v0.2 as npm 10 (Rekor `intoto`).
        public var bundleVersion: BundleAssembler.Version
        /// `access` in the body: `"public"` for `--access=public`, nil for JSON null.
        public var access: String?
        public var tag: String

        public init(registry: String, fulcioURL: String = "https://fulcio.sigstore.dev", rekorURL: String = "https://rekor.sigstore.dev",
                    bundleVersion: BundleAssembler.Version = .v03, access: String? = "public", tag: String = "latest",
                    rekorVersion: RekorVersion = .v1, timestampAuthorityURL: String = "https://timestamp.sigstore.dev") {
            self.registry = registry
            self.fulcioURL = fulcioURL
            self.rekorURL = rekorURL
            self.rekorVersion = rekorVersion
            self.timestampAuthorityURL = timestampAuthorityURL
            self.bundleVersion = bundleVersion
            self.access = access
            self.tag = tag
        }
    }

    /// Everything one run produced, for reports and for verifying the bundle afterwards.
    public struct Outcome: Sendable {
        public let statement: OrderedJSON
        public let bundle: OrderedJSON
        public let certificateChain: [String]
        public let logEntry: TransparencyLogEntry
        public let publishBody: OrderedJSON
    }

    public let configuration: Configuration
    let step: HTTPStep
    private let endpoints: RegistryEndpoints

    public init(configuration: Configuration, http: CurlHTTPClient) throws(PublishError) {
        self.configuration = configuration
        step = HTTPStep(http: http)
        endpoints = try RegistryEndpoints(registry: configuration.registry)
    }

    // MARK: - The whole flow

    /// Runs every step for `package` in the job `job`; the first failing step throws.
    public func run(package: PackedPackage, job: GitHubActionsEnvironment,
                    signer: EphemeralSigner = EphemeralSigner()) async throws(PublishError) -> Outcome {
        let npmToken = try await requestIDToken(audience: endpoints.audience, job: job)
        let publishToken = try await exchange(idToken: npmToken, name: package.name)
        let statement = try ProvenanceStatement.make(name: package.name, version: package.version,
                                                     sha512Hex: package.sha512Hex, job: job)
        let sigstoreToken = try await requestIDToken(audience: "sigstore", job: job)
        let signed = try await signAndLog(statement: statement, idToken: sigstoreToken, signer: signer,
                                          version: configuration.bundleVersion)
        let bundle = signed.bundle, chain = signed.chain, entry = signed.entry
        let body = PublishBody.make(package: package, endpoints: endpoints, tag: configuration.tag,
                                    access: configuration.access, bundle: bundle)
        try await publish(body: body, name: package.name, token: publishToken)
        return Outcome(statement: statement, bundle: bundle, certificateChain: chain, logEntry: entry, publishBody: body)
    }

    /// What `actions/attest-build-provenance` does for `subject-path: <directory>/**`: a fresh key and
    /// certificate, the build-provenance statement over every file, a Rekor `dsse` entry, a v0.3 bundle.
    /// (The action then uploads it to GitHub's attestations API, which the fixture world has no need of.)
    public func attestBuildProvenance(directory: URL, job: GitHubActionsEnvironment,
                                      signer: EphemeralSigner = EphemeralSigner()) async throws(PublishError) -> (statement: OrderedJSON, bundle: OrderedJSON) {
        let subjects = try BuildProvenanceStatement.subjects(under: directory)
        let token = try await requestIDToken(audience: "sigstore", job: job)
        let claims = try FulcioExchange.claims(ofJWT: token).compactMapValues(\.stringValue)
        let statement = try BuildProvenanceStatement.make(subjects: subjects, claims: claims, serverURL: job.serverURL)
        let signed = try await signAndLog(statement: statement, idToken: token, signer: signer, version: .v03)
        return (statement, signed.bundle)
    }

    /// Certificate for `signer`, DSSE signature over `statement`, Rekor entry, bundle.
    private func signAndLog(statement: OrderedJSON, idToken: String, signer: EphemeralSigner,
                            version: BundleAssembler.Version) async throws(PublishError) -> (bundle: OrderedJSON, chain: [String], entry: TransparencyLogEntry) {
        let chain = try await signingCertificate(idToken: idToken, signer: signer)
        // Rekor stores the verifier PEM as sent; re-encoding the DER canonically (64-column lines)
        // makes it equal to what other verifiers rebuild from the bundle (sigstore-python compares it).
        let leafDER = PEM.decode(chain[0])[0]
        let leafPEM = PEM.encode(leafDER)
        let payload = statement.bytes
        let signature = try signer.sign(DSSE.pae(payloadType: ProvenanceStatement.payloadType, payload: payload))
        let envelope = DSSE.envelope(payload: payload, payloadType: ProvenanceStatement.payloadType, signature: signature)
        if configuration.rekorVersion == .v2 {
            guard version == .v03 else { throw PublishError(.rekor, "Rekor v2 entries go in v0.3 bundles only, not v\(version.rawValue)") }
            let timestamp = try await timestamp(signature: signature)
            let digest = Array(SHA256.hash(data: DSSE.pae(payloadType: ProvenanceStatement.payloadType, payload: payload)))
            let entry = try await logEntryV2(request: RekorV2Exchange.hashedRekordRequest(digest: digest, signature: signature,
                                                                                          certificateDER: leafDER), signature: signature)
            return (BundleAssembler.bundle(version: version, leafCertificate: leafDER, entry: entry, envelope: envelope,
                                           timestamps: [timestamp]), chain, entry)
        }
        let proposal = switch version {
        case .v03: RekorExchange.dsseProposal(envelope: envelope, certificatePEM: leafPEM)
        case .v02: RekorExchange.intotoProposal(payload: payload, payloadType: ProvenanceStatement.payloadType,
                                                signature: signature, certificatePEM: leafPEM)
        }
        let entry = try await logEntry(proposal: proposal)
        let bundle = BundleAssembler.bundle(version: version, leafCertificate: leafDER, entry: entry, envelope: envelope)
        return (bundle, chain, entry)
    }

    // MARK: - Steps

    /// actions/toolkit `getIDToken(audience)`: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
    /// with the request token as bearer; the JWT is the response's `value`.
    public func requestIDToken(audience: String, job: GitHubActionsEnvironment) async throws(PublishError) -> String {
        guard let base = job.idTokenRequestURL, let bearer = job.idTokenRequestToken else {
            throw PublishError(.idToken, "expected ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (the job needs `permissions: id-token: write`)")
        }
        let url = QueryParameter.append(to: base, name: "audience", value: audience)
        let body = try await step.send(.idToken, "OIDC token (audience \(audience))", method: "GET", url: url,
                                       headers: [("Accept", "application/json"), ("Authorization", "Bearer \(bearer)")])
        guard let value = (try? JSONValue.parse(body))?["value"]?.stringValue, value.split(separator: ".").count == 3 else {
            throw PublishError(.idToken, "OIDC token: GET \(url) answered without a JWT in \"value\": \(Snippet.of(body))")
        }
        return value
    }

    /// `POST /-/npm/v1/oidc/token/exchange/package/<escaped name>` with the npm-audience JWT; returns `token`.
    public func exchange(idToken: String, name: String) async throws(PublishError) -> String {
        let url = endpoints.exchangeURL(name: name)
        let body = try await step.send(.tokenExchange, "token exchange for \(name)", method: "POST", url: url,
                                       headers: [("Accept", "application/json"), ("Authorization", "Bearer \(idToken)"),
                                                 ("npm-command", "publish")])
        guard let token = (try? JSONValue.parse(body))?["token"]?.stringValue, !token.isEmpty else {
            throw PublishError(.tokenExchange, "token exchange for \(name): POST \(url) answered without a \"token\": \(Snippet.of(body))")
        }
        return token
    }

    /// Fulcio `POST /api/v2/signingCert` with proof of possession of `signer`'s key; returns the PEM chain, leaf first.
    public func signingCertificate(idToken: String, signer: EphemeralSigner) async throws(PublishError) -> [String] {
        let challenge = try FulcioExchange.challenge(fromJWT: idToken)
        let proof = try signer.sign(Array(challenge.utf8))
        let request = FulcioExchange.requestBody(idToken: idToken, publicKeyPEM: signer.publicKeyPEM, proofOfPossession: proof)
        let url = Self.join(configuration.fulcioURL, "api/v2/signingCert")
        let body = try await step.send(.fulcio, "Fulcio signing certificate", method: "POST", url: url,
                                       headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                       body: Data(request.bytes))
        let chain = try FulcioExchange.chain(fromResponse: body, url: url)
        try FulcioExchange.checkLeaf(PEM.decode(chain[0])[0], certifies: signer.publicKey, url: url)
        return chain
    }

    /// Rekor `POST /api/v1/log/entries` (201 expected; 409 is fatal as in npm).
    public func logEntry(proposal: OrderedJSON) async throws(PublishError) -> TransparencyLogEntry {
        let url = Self.join(configuration.rekorURL, "api/v1/log/entries")
        let body = try await step.send(.rekor, "Rekor log entry", method: "POST", url: url,
                                       headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                       body: Data(proposal.bytes), accepted: 201...201)
        let entry = try RekorExchange.entry(fromResponse: body, url: url)
        if case .string(let kind) = proposal["kind"], kind != entry.kind {
            throw PublishError(.rekor, "POST \(url): proposed a \(kind) entry, the log returned a \(entry.kind) entry")
        }
        return entry
    }

    /// `PUT <registry>/<escaped name>` with the publish body and the exchanged token.
    public func publish(body: OrderedJSON, name: String, token: String) async throws(PublishError) {
        let url = endpoints.packageURL(name: name)
        _ = try await step.send(.publish, "publish \(name)", method: "PUT", url: url,
                                headers: [("Content-Type", "application/json"), ("Accept", "application/json"),
                                          ("Authorization", "Bearer \(token)"), ("npm-command", "publish")],
                                body: Data(body.bytes))
    }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? base : base + "/") + path
    }
}
