import NpmModel
import Semver

/// Finds a provenance downgrade: the installed version has no attestations while an earlier
/// version of the same package (by semver) does, so the usual publisher may have been bypassed.
enum ProvenanceDowngrade {
    /// The newest earlier version with `dist.attestations`, or nil when there is none.
    static func earlierAttested(in packument: Packument, before version: String) -> String? {
        guard let installed = SemanticVersion(version) else { return nil }
        return packument.versions.values
            .filter { $0.dist.attestationsURL != nil }
            .compactMap { manifest in SemanticVersion(manifest.version).map { (manifest.version, $0) } }
            .filter { $0.1 < installed }
            .max { $0.1 < $1.1 }?.0
    }

    static func message(name: String, version: String, earlier: String) -> String {
        "\(name)@\(version) has no provenance, but the earlier version \(name)@\(earlier) had attestations: provenance downgrade (was it published outside the usual workflow?)"
    }
}
