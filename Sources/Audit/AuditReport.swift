/// The outcome of one audit, counted the way npm counts (`verify-signatures.js`): a package
/// that failed is neither "verified" nor "missing", only "invalid".
public struct AuditReport: Sendable {
    /// Every audited package, in the order they were found.
    public let packages: [PackageAudit]
    /// Time from reading the tree to the last verdict.
    public let elapsed: Duration
    /// Installed packages a registry spec asks for that could not be audited, with why (npm skips
    /// them without a word; here they are listed, and a run under a policy fails on them).
    public var skipped: [String] = []
    /// Where the keys that verified signatures came from, for each registry whose keys no pin or
    /// TUF target vouched for (its own `/-/npm/v1/keys`, or npm's keys embedded at build time).
    /// npm says nothing of this, and the report prints as npm's does, so the command says it on
    /// stderr; a "verified" signature is only as good as these keys.
    public var keysWithoutTrust: [String] = []

    public init(packages: [PackageAudit], elapsed: Duration) {
        self.packages = packages
        self.elapsed = elapsed
    }

    /// npm's `auditedWithKeysCount`: packages whose registry publishes keys (plus those we report
    /// invalid where npm would have stopped, so that a failure is never hidden).
    public var auditedCount: Int { packages.count(where: \.isAudited) }
    /// npm's `verifiedSignatureCount`.
    public var verifiedSignatureCount: Int { packages.count { $0.invalid == nil && $0.signaturesVerified } }
    /// npm's `verifiedAttestationCount`.
    public var verifiedAttestationCount: Int { packages.count { $0.invalid == nil && $0.attestationsVerified } }

    /// Missing signatures, sorted by name like npm (`localeCompare`).
    public var missing: [MissingSignature] {
        packages.compactMap { $0.invalid == nil ? $0.missing : nil }
            .sorted { Self.precedes(($0.name, $0.location), ($1.name, $1.location)) }
    }

    /// Invalid packages, sorted by name like npm.
    public var invalid: [InvalidPackage] {
        packages.compactMap(\.invalid).sorted { Self.precedes(($0.name, $0.location), ($1.name, $1.location)) }
    }

    /// Who built each package with verified provenance, sorted by name.
    public var provenance: [(target: AuditTarget, provenance: BuildProvenance)] {
        packages.compactMap { audit in audit.invalid == nil ? audit.provenance.map { (audit.target, $0) } : nil }
            .sorted { Self.precedes(($0.target.name, $0.target.location), ($1.target.name, $1.target.location)) }
    }

    /// npm exits 1 when anything is invalid or missing.
    public var passed: Bool { invalid.isEmpty && missing.isEmpty }

    /// The run failed only because the registry could not be reached: an outage, which a CI gate
    /// must tell from tampering (found by review: both exited 1).
    public var failedOnlyToReachTheRegistry: Bool { !invalid.isEmpty && missing.isEmpty && invalid.allSatisfy(\.unreachable) }

    /// Case-insensitive name order (what `localeCompare('en')` gives for npm names), then location.
    static func precedes(_ a: (String, String), _ b: (String, String)) -> Bool {
        let (la, lb) = (a.0.lowercased(), b.0.lowercased())
        if la != lb { return la < lb }
        if a.0 != b.0 { return a.0 > b.0 }  // ICU puts lowercase first
        return a.1 < b.1
    }
}
