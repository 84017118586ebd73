public import NpmModel
import Semver

/// Finds a provenance downgrade: the installed version lacks what an earlier version of the same
/// package (by semver) had, so the usual publisher may have been bypassed. One rule for install,
/// `ci` and `verify-lockfile`.
public enum ProvenanceDowngrade {
    /// The newest version before `version` that advertised attestations or, with `provenanceOnly`,
    /// a SLSA provenance attestation (`dist.attestations.provenance`); nil when there is none.
    public static func earlier(in packument: Packument, before version: String, provenanceOnly: Bool = false) -> String? {
        guard let installed = SemanticVersion(version) else { return nil }
        return packument.versions.values
            .filter { provenanceOnly ? $0.dist.provenancePredicateType != nil : $0.dist.attestationsURL != nil }
            .compactMap { manifest in SemanticVersion(manifest.version).map { (manifest.version, $0) } }
            .filter { $0.1 < installed }
            .max { $0.1 < $1.1 }?.0
    }

    /// The downgrade, said the same way everywhere; `attested`: the version has attestations, just no provenance.
    public static func message(name: String, version: String, earlier: String, attested: Bool = false) -> String {
        let what = attested ? "has attestations but no SLSA provenance" : "has no provenance"
        let before = attested ? "had provenance" : "had attestations"
        return "\(name)@\(version) \(what), but the earlier version \(name)@\(earlier) \(before): provenance downgrade (was it published outside the usual workflow?)"
    }
}
