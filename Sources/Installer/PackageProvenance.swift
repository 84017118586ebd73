public import NpmVerify

/// What an install learnt about who built one package.
public struct PackageProvenance: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Every attestation verified and one is a SLSA provenance statement: `builtBy` says who built it.
        case verified
        /// No verified provenance; `reason` says why (allowed only where nothing requires provenance).
        case unverified
    }

    public var status: Status
    /// Who built it (repository, workflow, ref, commit, runner), from the provenance certificate.
    public var builtBy: ProvenanceIdentity?
    /// Predicate types of the attestations that verified.
    public var attestations: [String]
    /// Why there is no verified provenance, e.g. `no provenance`.
    public var reason: String?
    /// Set when an earlier version of the package had provenance and this one has none.
    public var downgrade: String?

    public init(status: Status, builtBy: ProvenanceIdentity? = nil, attestations: [String] = [], reason: String? = nil, downgrade: String? = nil) {
        self.status = status
        self.builtBy = builtBy
        self.attestations = attestations
        self.reason = reason
        self.downgrade = downgrade
    }
}
