// MARK: - npm's choice of version

/// npm's choice of a version for a wanted spec: the semantics of npm-pick-manifest (without
/// its `before`, staging, policy and avoid options).
///
/// - A dist-tag name picks exactly the version that tag points at.
/// - An exact version (read loosely, so `v1.2.3` and `=1.2.3` work) picks that version.
/// - A range (or an empty spec, meaning the default tag): the default tag's version wins if it
///   satisfies the range, is not deprecated and its `engines` admit this node and npm (for `*`
///   and the empty spec it wins even as a prerelease); otherwise the highest satisfying version,
///   those neither deprecated nor engine-refused first, then engine-admitted, then not deprecated.
///   Prereleases satisfy a range only when the range names the same `major.minor.patch`.
///
/// Ranges and versions are read with node-semver's `loose` option, as npm does.
public enum ManifestPicker {
    /// One published version of a package.
    public struct Candidate: Sendable, Hashable {
        public var version: String
        /// True when the registry marks the version deprecated (it then loses to any
        /// non-deprecated match, but an exact version or tag still picks it).
        public var deprecated: Bool
        /// False when the version's `engines` do not admit this node or npm (``EngineVersions``).
        public var engineOK: Bool

        public init(version: String, deprecated: Bool = false, engineOK: Bool = true) {
            self.version = version
            self.deprecated = deprecated
            self.engineOK = engineOK
        }
    }

    /// A package's candidates with their versions parsed once, for a caller that picks from the same
    /// package many times (found by review: parsing every version again for every edge let a
    /// registry make resolution take hours).
    public struct Prepared: Sendable {
        let candidates: [Candidate]
        let parsed: [SemanticVersion?]
        let byVersion: [String: Candidate]

        public init(_ candidates: [Candidate]) {
            self.candidates = candidates
            parsed = candidates.map { SemanticVersion($0.version, loose: true) }
            byVersion = candidates.reduce(into: [:]) { all, candidate in
                if all[candidate.version] == nil { all[candidate.version] = candidate }
            }
        }
    }

    /// Picks the version npm would install for `wanted`.
    ///
    /// - Parameters:
    ///   - wanted: a dist-tag name, an exact version, or a range (`""` and `"*"` mean any).
    ///   - candidates: the published versions, in packument order (which breaks ties between
    ///     versions of equal precedence, such as `1.0.0+a` and `1.0.0+b`).
    ///   - distTags: the packument's `dist-tags`.
    ///   - defaultTag: the tag preferred when it satisfies the range (npm's `--tag`).
    ///   - parsed: `wanted` already parsed as a loose range, when the caller caches ranges by text;
    ///     nil parses it here. Ignored unless `wanted` is a range.
    /// - Returns: the chosen candidate's `version`, exactly as given.
    /// - Throws: `ManifestPickError` naming the spec, versions and tags when nothing fits.
    public static func pick(wanted: String, candidates: [Candidate], distTags: [String: String],
                            defaultTag: String = "latest", parsed: VersionRange? = nil) throws -> String {
        try pick(wanted: wanted, prepared: Prepared(candidates), distTags: distTags, defaultTag: defaultTag, parsed: parsed)
    }

    /// `pick`, from candidates prepared once.
    public static func pick(wanted: String, prepared: Prepared, distTags: [String: String],
                            defaultTag: String = "latest", parsed: VersionRange? = nil) throws -> String {
        let candidates = prepared.candidates, byVersion = prepared.byVersion
        func failure(_ code: ManifestPickError.Code) -> ManifestPickError {
            ManifestPickError(code, wanted: wanted, versions: candidates.map(\.version), distTags: distTags)
        }

        let kind = try SpecKind(classifying: wanted.isEmpty ? defaultTag : wanted, failure: failure)
        if !wanted.isEmpty && kind == .tag {
            guard let version = distTags[wanted], byVersion[version] != nil else { throw failure(.noMatchingVersion) }
            return version
        }
        if !wanted.isEmpty && kind == .version {
            guard let version = Semver.clean(wanted, loose: true), byVersion[version] != nil else {
                throw failure(.noMatchingVersion)
            }
            return version
        }

        let rangeText = kind == .range ? wanted : "*"
        let range = kind == .range ? (parsed ?? (try? VersionRange(rangeText, loose: true))) : (try? VersionRange(rangeText, loose: true))
        func satisfies(_ version: String) -> Bool { range?.isSatisfied(by: version) ?? false }

        if let preferred = distTags[defaultTag], !preferred.isEmpty,
           rangeText == "*" || satisfies(preferred),
           let candidate = byVersion[preferred], !candidate.deprecated, candidate.engineOK {
            return preferred
        }
        guard !candidates.isEmpty else { throw failure(.noVersionsAvailable) }

        var best: (candidate: Candidate, version: SemanticVersion)?
        for (candidate, loosely) in zip(candidates, prepared.parsed) {
            // Read as the range reads versions (ranges here are loose; a strict one reads them strictly).
            guard let range, let version = range.loose ? loosely : SemanticVersion(candidate.version, loose: false),
                  range.isSatisfied(by: version) else { continue }
            if let current = best, !isPreferred(candidate, version, over: current) { continue }
            best = (candidate, version)
        }
        guard let best else { throw failure(.noMatchingVersion) }
        return best.candidate.version
    }

    /// npm-pick-manifest's order: neither deprecated nor engine-refused first, then engine-admitted,
    /// then not deprecated, then higher precedence. Ties keep the earlier candidate, as its stable
    /// sort does.
    private static func isPreferred(_ candidate: Candidate, _ version: SemanticVersion,
                                    over current: (candidate: Candidate, version: SemanticVersion)) -> Bool {
        let other = current.candidate
        let (sound, otherSound) = (!candidate.deprecated && candidate.engineOK, !other.deprecated && other.engineOK)
        if sound != otherSound { return sound }
        if candidate.engineOK != other.engineOK { return candidate.engineOK }
        if candidate.deprecated != other.deprecated { return !candidate.deprecated }
        return SemanticVersion.compare(version, current.version) > 0
    }
}
