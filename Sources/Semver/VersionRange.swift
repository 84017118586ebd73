// MARK: - Ranges

/// A parsed semver range such as `^1.2.3`, `>=1.0.0 <2.0.0 || 3.x`, `1.2 - 2` or `*`,
/// with node-semver's meaning (`new Range(text)`).
///
/// A prerelease version satisfies a range only if some comparator of the same `||`
/// alternative names a prerelease of the same `major.minor.patch` (so `^1.2.3-beta.1` admits
/// `1.2.3-beta.2` but not `1.3.0-alpha`), unless `includePrerelease` is set.
public struct VersionRange: Sendable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// Whether the range was read with node-semver's `loose` option.
    public let loose: Bool
    /// The reading `description` shows and `init` validated (see `init`).
    public let includePrerelease: Bool

    /// Desugaring depends on `includePrerelease` (`^1.2` starts at `1.2.0` or at `1.2.0-0`),
    /// so both readings are kept; a reading is nil when the text is invalid in it.
    let sets: [[Comparator]]?
    let prereleaseSets: [[Comparator]]?

    /// Parses `text`, throwing `SemverError` where `new Range(text, { loose, includePrerelease })`
    /// throws. The two readings are almost always valid together; the rare exceptions come
    /// from hyphen ranges, whose upper end is spelled differently in each (`1 - v=2.0.0`).
    public init(_ text: String, loose: Bool = false, includePrerelease: Bool = false) throws {
        self.text = text
        self.loose = loose
        self.includePrerelease = includePrerelease
        let requested = try RangeParser.parse(text, RangeOptions(loose: loose, includePrerelease: includePrerelease)).sets
        let other = try? RangeParser.parse(text, RangeOptions(loose: loose, includePrerelease: !includePrerelease)).sets
        sets = includePrerelease ? other : requested
        prereleaseSets = includePrerelease ? requested : other
    }

    // MARK: Matching

    /// Whether `version` satisfies the range (`range.test(version)`), read with or without
    /// `includePrerelease`; false in a reading where the text is not a valid range.
    public func isSatisfied(by version: SemanticVersion, includePrerelease: Bool = false) -> Bool {
        guard let sets = includePrerelease ? prereleaseSets : sets else { return false }
        return VersionRange.test(sets, version, includePrerelease: includePrerelease)
    }

    /// Parses `version` as the range does (strict or loose); false when it is not a version.
    public func isSatisfied(by version: String, includePrerelease: Bool = false) -> Bool {
        guard let parsed = SemanticVersion(version, loose: loose) else { return false }
        return isSatisfied(by: parsed, includePrerelease: includePrerelease)
    }

    static func test(_ sets: [[Comparator]], _ version: SemanticVersion, includePrerelease: Bool) -> Bool {
        sets.contains { testAlternative($0, version, includePrerelease: includePrerelease) }
    }

    private static func testAlternative(_ comparators: [Comparator], _ version: SemanticVersion, includePrerelease: Bool) -> Bool {
        guard comparators.allSatisfy({ $0.test(version) }) else { return false }
        guard version.isPrerelease, !includePrerelease else { return true }
        return comparators.contains { comparator in
            guard let bound = comparator.version, bound.isPrerelease else { return false }
            return bound.major == version.major && bound.minor == version.minor && bound.patch == version.patch
        }
    }

    // MARK: Text

    /// The desugared form node-semver prints (`range.range`), e.g. `>=1.2.3 <2.0.0-0`, for the
    /// reading the range was created with; empty for a range that matches everything.
    public var description: String { normalized(includePrerelease: includePrerelease) ?? "" }

    /// The desugared form as read with or without `includePrerelease`; nil if invalid so.
    public func normalized(includePrerelease: Bool) -> String? {
        (includePrerelease ? prereleaseSets : sets).map(RangeParser.format)
    }

    /// The comparators of each `||` alternative, as text (`[[">=1.2.3", "<2.0.0-0"]]`).
    public var comparatorSets: [[String]] {
        ((includePrerelease ? prereleaseSets : sets) ?? []).map { $0.map(\.value) }
    }
}
