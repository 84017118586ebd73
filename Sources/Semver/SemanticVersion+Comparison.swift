// MARK: - Precedence

extension SemanticVersion: Comparable, Hashable {
    /// node-semver's `compare`: -1, 0 or 1 by semver precedence (build metadata ignored).
    public static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
        if a.major != b.major { return a.major < b.major ? -1 : 1 }
        if a.minor != b.minor { return a.minor < b.minor ? -1 : 1 }
        if a.patch != b.patch { return a.patch < b.patch ? -1 : 1 }
        return comparePrerelease(a.prerelease, b.prerelease)
    }

    /// A release outranks its prereleases; otherwise the first differing identifier decides
    /// and a longer list of otherwise equal identifiers wins.
    static func comparePrerelease(_ a: [PrereleaseIdentifier], _ b: [PrereleaseIdentifier]) -> Int {
        switch (a.isEmpty, b.isEmpty) {
        case (true, true): return 0
        case (false, true): return -1
        case (true, false): return 1
        case (false, false): break
        }
        for (x, y) in zip(a, b) where x != y {
            // Like node, the first unequal pair decides even when it compares as 0 (two
            // all-digit identifiers beyond 2^53 that round to the same double).
            return PrereleaseIdentifier.compare(x, y)
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Equal precedence: `1.0.0+a == 1.0.0+b`.
    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        compare(lhs, rhs) == 0
    }

    /// Consistent with precedence equality: build metadata is left out, and hashing stops at
    /// an all-digit identifier too large to be exact (those compare by rounded value).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        for identifier in prerelease {
            switch identifier {
            case .numeric(let value):
                hasher.combine(0 as UInt8)
                hasher.combine(value)
            case .alphanumeric(let text):
                if let value = identifier.numericValue {
                    hasher.combine(1 as UInt8)
                    hasher.combine(value)
                    return
                }
                hasher.combine(2 as UInt8)
                hasher.combine(text)
            }
        }
        hasher.combine(prerelease.count)
    }
}
