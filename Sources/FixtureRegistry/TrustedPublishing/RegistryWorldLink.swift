import Foundation
public import SafeJSON

/// The transparency log the registry records its publish attestations in (the fixture
/// world's Rekor), so they verify the way npm's do: with a log entry, not a bare signature.
public protocol AttestationTransparencyLog: Sendable {
    /// Logs a DSSE envelope signed by the key in `publicKeyPEM`; returns the bundle's `tlogEntries[]` item.
    func logEntry(envelope: JSONValue, publicKeyPEM: String) throws -> JSONValue
}

/// What the registry trusts from the fixture Sigstore world. Without it the registry serves
/// no token exchange and its publish attestations carry no log entry.
public struct RegistryWorldLink: Sendable {
    /// Verifies GitHub Actions ID tokens for the trusted-publishing exchange.
    public var oidc: any OIDCTokenValidating
    /// Where publish attestations are logged.
    public var transparencyLog: any AttestationTransparencyLog
    /// Verifies a published provenance bundle's signer; nil stores bundles unverified.
    public var provenanceSigners: (any ProvenanceSignerChecking)?

    public init(oidc: any OIDCTokenValidating, transparencyLog: any AttestationTransparencyLog,
                provenanceSigners: (any ProvenanceSignerChecking)? = nil) {
        self.oidc = oidc
        self.transparencyLog = transparencyLog
        self.provenanceSigners = provenanceSigners
    }
}

/// Who signed a provenance bundle, as npm's registry verifies it at publish: the certificate's
/// source repository, its visibility and the runner, read only after its chain and signature verified.
public struct ProvenanceSigner: Sendable {
    public let repository: String?, runnerEnvironment: String?, repositoryVisibility: String?

    public init(repository: String?, runnerEnvironment: String?, repositoryVisibility: String?) {
        (self.repository, self.runnerEnvironment, self.repositoryVisibility) = (repository, runnerEnvironment, repositoryVisibility)
    }
}

/// Verifies provenance bundles at publish (the fixture world's Sigstore).
public protocol ProvenanceSignerChecking: Sendable {
    /// The verified signer; throws (its description is the refusal) when the bundle does not verify.
    func signer(of bundle: JSONValue) throws -> ProvenanceSigner
}
