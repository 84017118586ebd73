public import FixtureRegistry
public import FixtureSigstore
public import Foundation
import Publish
public import SafeJSON
import CodedError

/// Publishes a version with provenance exactly as the trusted-publishing job does over HTTP
/// (`WorldPublisher` → `TrustedPublishingClient`), but calling the world's services in process:
/// the job's ID token, Fulcio's `issue` with proof of possession, the SLSA v1 statement signed
/// in a DSSE envelope, a Rekor `dsse` entry (proposal bytes and response parsed as on the wire),
/// a v0.3 bundle, and npm's `PUT` body with the `.sigstore` attachment handed to the registry's
/// publish path, which adds its publish attestation logged in the same Rekor.
///
/// Only the network and the token exchange are skipped (the publish runs as the user the exchange
/// would have minted a token for), so `fixture-registry generate --provenance` can publish thousands
/// of versions in seconds instead of minutes.
public struct InProcessTrustedPublisher: Sendable {
    public let world: SigstoreWorld
    public let storage: RegistryStorage
    /// The registry URL the body's `dist.tarball` and the publish attestation name (no trailing slash).
    public let registryURL: String
    /// The npm user the exchanged token would publish as.
    public let user: String

    public init(world: SigstoreWorld, storage: RegistryStorage, registryURL: String, user: String = "bench-publisher") {
        self.world = world
        self.storage = storage
        self.registryURL = registryURL.hasSuffix("/") ? String(registryURL.dropLast()) : registryURL
        self.user = user
    }

    /// Publishes `name@version` (package.json `manifest`, npm tarball `tarball`) as `job` under `tag`.
    public func publish(name: String, version: String, manifest: [String: JSONValue], tarball: Data, tag: String,
                        job: GitHubActionsJob) async throws {
        let package = PackedPackage(name: name, version: version, manifest: manifest, tarball: tarball)
        let environment = try GitHubActionsEnvironment(environment: job.environmentVariables)
        let statement = try ProvenanceStatement.make(name: name, version: version, sha512Hex: package.sha512Hex, job: environment)
        let token = try await world.startJob(job).idToken(audience: "sigstore")
        let signer = EphemeralSigner()
        let proof = try signer.sign(Array(try FulcioExchange.challenge(fromJWT: token).utf8))
        let issued = try await world.fulcio.issue(token: token, publicKeyPEM: signer.publicKeyPEM, proofOfPossession: proof)
        guard let leafDER = try issued.derChain().first else {
            throw PublishError(.fulcio, "in-process Fulcio issued an empty chain for \(name)@\(version)")
        }
        let payload = statement.bytes
        let signature = try signer.sign(DSSE.pae(payloadType: ProvenanceStatement.payloadType, payload: payload))
        let envelope = DSSE.envelope(payload: payload, payloadType: ProvenanceStatement.payloadType, signature: signature)
        let proposal = RekorExchange.dsseProposal(envelope: envelope, certificatePEM: Self.pem(leafDER))
        let logged = try world.rekor.append(proposedEntry: Data(proposal.bytes))
        let entry = try RekorExchange.entry(fromResponse: try logged.apiResponse.serialized(), url: "in-process Rekor")
        let bundle = BundleAssembler.bundle(version: .v03, leafCertificate: leafDER, entry: entry, envelope: envelope)
        let body = PublishBody.make(package: package, endpoints: try RegistryEndpoints(registry: registryURL + "/"), tag: tag,
                                    access: "public", bundle: bundle)
        guard let object = try JSONValue.parse(Data(body.bytes)).objectValue else {
            throw PublishError(.publish, "the publish body of \(name)@\(version) is not a JSON object")
        }
        try storage.publish(body: object, by: AuthenticatedUser(name: user, restriction: name), registryURL: registryURL)
    }

    /// The leaf as PEM with 64-column lines, the form the HTTP client sends to Rekor.
    static func pem(_ der: [UInt8]) -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(b64)\n-----END CERTIFICATE-----\n"
    }
}
