public import FixtureRegistry
public import FixtureSigstore
import Foundation
public import SafeJSON
import SigstoreVerify
import CodedError

/// Connects the registry to the fixture Sigstore world: the trusted-publishing exchange
/// verifies ID tokens against the world's issuer, and publish attestations are logged in
/// the world's Rekor. The registry module knows only the two protocols.
extension RegistryWorldLink {
    public init(world: SigstoreWorld) {
        self.init(oidc: WorldTokenValidator(world: world), transparencyLog: WorldAttestationLog(rekor: world.rekor),
                  provenanceSigners: WorldProvenanceSigners(world: world))
    }
}

/// ID tokens of the world's issuer, checked for the exchange's audience (`npm:<registry host>`).
struct WorldTokenValidator: OIDCTokenValidating {
    let world: SigstoreWorld

    func verifiedClaims(of jwt: String, audience: String) async throws -> [String: String] {
        let claims = try await world.tokenVerifier(audience: audience).verify(jwt)
        return claims.values.compactMapValues(\.stringValue)
    }
}

/// Publish attestations logged as `dsse` entries in the world's Rekor.
struct WorldAttestationLog: AttestationTransparencyLog {
    let rekor: RekorLog

    func logEntry(envelope: JSONValue, publicKeyPEM: String) throws -> JSONValue {
        try rekor.logDSSE(envelope: envelope, verifierPEM: publicKeyPEM).bundleTlogEntry
    }
}

/// Provenance bundles verified as npm's registry verifies them at publish: the whole Sigstore
/// verification (chain, SCT, log entry, times, signature) against the world's trusted root, then
/// the certificate's repository and runner. Found by review: the registry stored a bundle it
/// never verified, and read the repository from the unsigned statement.
public struct WorldProvenanceSigners: ProvenanceSignerChecking {
    private let verifier: Result<BundleVerifier, any Error>

    public init(world: SigstoreWorld) {
        verifier = Result { BundleVerifier(trusted: try TrustedMaterial(jsonData: try world.trustedRootData())) }
    }

    public func signer(of bundle: JSONValue) throws -> ProvenanceSigner {
        let verified = try verifier.get().verify(bundleJSON: try bundle.serialized(), artifact: nil, signer: .anyCertificate)
        guard case .certificate(_, let identity) = verified.signer else {
            throw VerificationError(.publicKey, "expected a bundle signed by a Fulcio certificate, found a key-signed one")
        }
        return ProvenanceSigner(repository: identity[.sourceRepositoryURI], runnerEnvironment: identity[.runnerEnvironment],
                                repositoryVisibility: identity[.sourceRepositoryVisibility])
    }
}
