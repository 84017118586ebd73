import Semver

/// The one rule for a version a lockfile links against the range it is held to (the dependent's,
/// an override's): loose semver, prereleases allowed, as lenient as the package managers are.
public enum LockedRange {
    /// Whether `version` meets `spec`; true for a version or spec that is no semver one (a tag, an
    /// alias, a source), which other rules judge.
    public static func meets(_ version: String, _ spec: String) -> Bool {
        guard let exact = SemanticVersion(version), let range = try? VersionRange(spec, loose: true) else { return true }
        return range.isSatisfied(by: exact, includePrerelease: true)
    }
}
