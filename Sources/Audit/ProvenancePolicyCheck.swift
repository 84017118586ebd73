public import SigstoreVerify

/// The seam for `--policy FILE`: judges each audited package after its signatures and
/// attestations verified. `provenance` is nil when the package has no verified provenance
/// attestation, so a policy can demand one. Return nil to accept, or the reason to refuse;
/// a refusal is reported as an invalid package with code `EPROVENANCEPOLICY` (exit 1).
public protocol ProvenancePolicyCheck: Sendable {
    func evaluate(_ target: AuditTarget, provenance: VerifiedProvenance?) -> String?
}

/// A package's verified SLSA provenance: the bundle (certificate path, identity, statement)
/// and the summary the report prints.
public struct VerifiedProvenance: Sendable {
    public let bundle: VerifiedBundle
    public let summary: BuildProvenance

    public init(bundle: VerifiedBundle) {
        self.bundle = bundle
        summary = BuildProvenance(verified: bundle)
    }
}

/// A policy given as a closure (tests, or an adapter around another module's policy type).
public struct ClosurePolicy: ProvenancePolicyCheck {
    let body: @Sendable (AuditTarget, VerifiedProvenance?) -> String?

    public init(_ body: @escaping @Sendable (AuditTarget, VerifiedProvenance?) -> String?) {
        self.body = body
    }

    public func evaluate(_ target: AuditTarget, provenance: VerifiedProvenance?) -> String? {
        body(target, provenance)
    }
}
