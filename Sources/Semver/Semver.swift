// MARK: - node-semver's functions

/// node-semver's top-level functions over version and range text. Invalid input never
/// throws here: like node, it makes a predicate false and a lookup nil.
///
/// `loose` is node-semver's loose mode (npm-package-arg and npm-pick-manifest use it);
/// `includePrerelease` lets prereleases satisfy ranges that do not name them.
public enum Semver {
    /// `semver.satisfies(version, range)`: false when either text is invalid.
    /// Whether npm resolves `spec` from the registry (a version, range or dist-tag), not from a
    /// git host, a URL, a file or folder, or as an alias (`npm:other@1`).
    public static func isRegistrySpec(_ spec: String) -> Bool { !SpecKind.isNonRegistry(spec) }

    public static func satisfies(_ version: String, _ range: String, includePrerelease: Bool = false, loose: Bool = false) -> Bool {
        let options = RangeOptions(loose: loose, includePrerelease: includePrerelease)
        guard let sets = try? RangeParser.parse(range, options).sets,
              let parsed = SemanticVersion(version, loose: loose) else { return false }
        return VersionRange.test(sets, parsed, includePrerelease: includePrerelease)
    }

    /// `semver.maxSatisfying(versions, range)`: the highest satisfying entry, returned as
    /// written; the first of equal-precedence entries wins. Nil for an invalid range.
    public static func maxSatisfying(_ versions: [String], _ range: String, includePrerelease: Bool = false, loose: Bool = false) -> String? {
        best(versions, range, includePrerelease: includePrerelease, loose: loose) { SemanticVersion.compare($0, $1) < 0 }
    }

    /// `semver.minSatisfying(versions, range)`: the lowest satisfying entry, returned as written.
    public static func minSatisfying(_ versions: [String], _ range: String, includePrerelease: Bool = false, loose: Bool = false) -> String? {
        best(versions, range, includePrerelease: includePrerelease, loose: loose) { SemanticVersion.compare($0, $1) > 0 }
    }

    private static func best(_ versions: [String], _ range: String, includePrerelease: Bool, loose: Bool,
                             replaces: (_ current: SemanticVersion, _ candidate: SemanticVersion) -> Bool) -> String? {
        let options = RangeOptions(loose: loose, includePrerelease: includePrerelease)
        guard let sets = try? RangeParser.parse(range, options).sets else { return nil }
        var best: (text: String, version: SemanticVersion)?
        for text in versions {
            guard let version = SemanticVersion(text, loose: loose),
                  VersionRange.test(sets, version, includePrerelease: includePrerelease) else { continue }
            if let current = best, !replaces(current.version, version) { continue }
            best = (text, version)
        }
        return best?.text
    }

    /// `semver.validRange(range)`: the desugared range text (`*` for "any"), or nil.
    public static func validRange(_ range: String, includePrerelease: Bool = false, loose: Bool = false) -> String? {
        let options = RangeOptions(loose: loose, includePrerelease: includePrerelease)
        guard let sets = try? RangeParser.parse(range, options).sets else { return nil }
        let text = RangeParser.format(sets)
        return text.isEmpty ? "*" : text
    }

    /// `semver.valid(version)`: the normalised version text, or nil.
    public static func valid(_ version: String, loose: Bool = false) -> String? {
        SemanticVersion(version, loose: loose)?.description
    }

    /// `semver.clean(version)`: trims, drops leading `=` and `v`, and normalises; or nil.
    public static func clean(_ version: String, loose: Bool = false) -> String? {
        let text = JSText.trimmed(version).drop { $0 == "=" || $0 == "v" }
        return SemanticVersion(String(text), loose: loose)?.description
    }

    /// `semver.compare(a, b)` on parsed versions: -1, 0 or 1.
    public static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
        SemanticVersion.compare(a, b)
    }
}
