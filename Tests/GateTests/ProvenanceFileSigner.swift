import CurlTransport
import FixtureSigstore
import Foundation
import Harness
import Publish

/// The half of `npm publish --provenance` that npm 10 cannot do against the fixture world, played
/// over HTTP in a GitHub Actions job of the world with the Publish module's steps: the job's ID
/// tokens, the registry's trusted-publishing token exchange, a Fulcio certificate, the SLSA v1
/// statement signed in a DSSE envelope and logged as a Rekor v1 `dsse` entry, and the v0.3 bundle
/// that the real npm then publishes with `--provenance-file`.
struct ProvenanceFileSigner {
    let client: TrustedPublishingClient
    let job: GitHubActionsEnvironment
    let registry: RegistryEndpoints

    /// Runs `body` with a signer for `job` in `world` (its HTTP client shut down afterwards).
    static func with<T>(world: FixtureWorld, job: GitHubActionsJob,
                        _ body: (ProvenanceFileSigner) async throws -> T) async throws -> T {
        let publisher = world.publisher(bundleVersion: .v03, rekorVersion: .v1)
        let environment = try GitHubActionsEnvironment(environment: try await publisher.environment(of: job))
        let http = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 2))
        defer { http.shutdown() }
        let signer = ProvenanceFileSigner(client: try TrustedPublishingClient(configuration: publisher.clientConfiguration(), http: http),
                                          job: environment, registry: try RegistryEndpoints(registry: world.registryURL))
        return try await body(signer)
    }

    /// A publish token for `name` from the registry's OIDC exchange (the job's `npm:<host>` ID token in).
    func publishToken(for name: String) async throws -> String {
        let idToken = try await client.requestIDToken(audience: registry.audience, job: job)
        return try await client.exchange(idToken: idToken, name: name)
    }

    /// The provenance bundle npm would make for the tarball `bytes` of `name@version`:
    /// subject `pkg:npm/…@version` with the bytes' SHA-512, signed and logged through the world.
    func bundle(name: String, version: String, bytes: Data) async throws -> OrderedJSON {
        let sha512Hex = PackedPackage(name: name, version: version, manifest: [:], tarball: bytes).sha512Hex
        let statement = try ProvenanceStatement.make(name: name, version: version, sha512Hex: sha512Hex, job: job)
        let signer = EphemeralSigner()
        let chain = try await client.signingCertificate(idToken: try await client.requestIDToken(audience: "sigstore", job: job),
                                                        signer: signer)
        let leaf = try Self.der(ofPEM: chain[0])
        let payload = statement.bytes
        let signature = try signer.sign(DSSE.pae(payloadType: ProvenanceStatement.payloadType, payload: payload))
        let envelope = DSSE.envelope(payload: payload, payloadType: ProvenanceStatement.payloadType, signature: signature)
        let entry = try await client.logEntry(proposal: RekorExchange.dsseProposal(envelope: envelope, certificatePEM: Self.pem(leaf)))
        return BundleAssembler.bundle(version: .v03, leafCertificate: leaf, entry: entry, envelope: envelope)
    }

    /// The DER of the first certificate in a PEM text.
    static func der(ofPEM pem: String) throws -> [UInt8] {
        let body = pem.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .drop { $0 != "-----BEGIN CERTIFICATE-----" }.dropFirst().prefix { $0 != "-----END CERTIFICATE-----" }.joined()
        guard let der = Data(base64Encoded: body), !der.isEmpty else { throw GateFailure("Fulcio's leaf is not a PEM certificate: \(pem)") }
        return Array(der)
    }

    /// A certificate as PEM with 64-column lines (the form sent to Rekor).
    static func pem(_ der: [UInt8]) -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(b64)\n-----END CERTIFICATE-----\n"
    }
}
