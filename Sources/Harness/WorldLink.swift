public import FixtureRegistry
public import FixtureSigstore
import Foundation
import SafeJSON

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

/// Provenance bundles verified against the world's Fulcio, as npm's registry verifies them.
struct WorldProvenanceSigners: ProvenanceSignerChecking {
    let world: SigstoreWorld

    func signer(of bundle: JSONValue) throws -> (repository: String?, runnerEnvironment: String?) {
        let signer = try BundleSigner.verify(bundle, issuedBy: world.fulcio.intermediate)
        return (signer.sourceRepositoryURI, signer.runnerEnvironment)
    }
}
