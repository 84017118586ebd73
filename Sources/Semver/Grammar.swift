// MARK: - Whole-text matching of the version grammar

/// The parts of a version-like text: `M[.m[.p[-prerelease][+build]]]`, as written (not yet
/// converted to numbers, because node-semver compares and re-prints some parts as text).
struct CoreParts: Equatable, Sendable {
    var major: String
    var minor: String?
    var patch: String?
    var prerelease: String?
    var build: String?
}

/// Decides whether a whole text is a version (or an x-range version) in node-semver's grammar.
///
/// Strict mode is semver 2.0: numeric parts without leading zeros, a prerelease introduced by
/// `-`. Loose mode accepts leading zeros and a prerelease without the `-` (`1.2.3beta`), in
/// which case digits may be shared between the patch and the prerelease exactly as a
/// backtracking regular expression shares them (the longest patch that still matches wins).
///
/// node-semver bounds its repetitions (digit runs at 256, identifier tails at 250) to avoid
/// regex blow-ups; those bounds are observable in ranges, which have no overall length limit,
/// so they are reproduced here.
enum Grammar {
    static let maxDigitRun = 256
    static let maxIdentifierTail = 250

    // MARK: Identifiers

    /// A numeric part: strict `0|[1-9]\d{0,256}`, loose `\d{1,256}`.
    static func isNumeric(_ text: ArraySlice<Unicode.Scalar>, loose: Bool) -> Bool {
        guard let first = text.first, text.allSatisfy(\.isASCIIDigit) else { return false }
        if loose { return text.count <= maxDigitRun }
        return text.count == 1 || (first != "0" && text.count <= maxDigitRun + 1)
    }

    /// A prerelease identifier: numeric (as above) or digits followed by a letter or hyphen.
    static func isPrereleaseIdentifier(_ text: ArraySlice<Unicode.Scalar>, loose: Bool) -> Bool {
        guard !text.isEmpty, text.allSatisfy(\.isIdentifierCharacter) else { return false }
        let digits = text.prefix(while: \.isASCIIDigit).count
        if digits == text.count { return isNumeric(text, loose: loose) }
        return digits <= maxDigitRun && text.count - digits - 1 <= maxIdentifierTail
    }

    /// A build identifier: `[a-zA-Z0-9-]{1,250}`.
    static func isBuildIdentifier(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        !text.isEmpty && text.count <= maxIdentifierTail && text.allSatisfy(\.isIdentifierCharacter)
    }

    /// Whether every dot-separated piece of `text` (empty pieces included) satisfies `element`.
    static func isDottedList(_ text: ArraySlice<Unicode.Scalar>, _ element: (ArraySlice<Unicode.Scalar>) -> Bool) -> Bool {
        var start = text.startIndex
        while let dot = text[start...].firstIndex(of: ".") {
            guard element(text[start..<dot]) else { return false }
            start = dot + 1
        }
        return element(text[start...])
    }

    // MARK: Whole versions

    /// Matches all of `text` as `M.m.p[-pre][+build]` (`complete`) or as an x-range version
    /// `M[.m[.p[-pre][+build]]]` whose parts may be `x`, `X` or `*` (`wildcards`).
    static func matchCore(_ text: ArraySlice<Unicode.Scalar>, wildcards: Bool, complete: Bool, loose: Bool) -> CoreParts? {
        func isPart(_ part: ArraySlice<Unicode.Scalar>) -> Bool {
            isNumeric(part, loose: loose) || (wildcards && part.count == 1 && part[part.startIndex].isWildcard)
        }
        let majorEnd = text.firstIndex(of: ".") ?? text.endIndex
        let major = text[text.startIndex..<majorEnd]
        guard isPart(major) else { return nil }
        guard majorEnd < text.endIndex else { return complete ? nil : CoreParts(major: JSText.string(major)) }

        let afterMajor = text[(majorEnd + 1)...]
        let minorEnd = afterMajor.firstIndex(of: ".") ?? afterMajor.endIndex
        let minor = afterMajor[afterMajor.startIndex..<minorEnd]
        guard isPart(minor) else { return nil }
        guard minorEnd < afterMajor.endIndex else {
            return complete ? nil : CoreParts(major: JSText.string(major), minor: JSText.string(minor))
        }

        let tail = text[(minorEnd + 1)...]
        let lengths = patchLengths(tail, wildcards: wildcards, loose: loose)
        guard lengths.longest >= 1 else { return nil }
        for patchLength in stride(from: lengths.longest, through: lengths.shortest, by: -1) {
            let patch = tail.prefix(patchLength)
            guard isPart(patch) else { continue }
            let rest = tail.dropFirst(patchLength)
            guard let (prerelease, build) = loose ? matchLooseSuffix(rest) : matchStrictSuffix(rest) else { continue }
            return CoreParts(major: JSText.string(major), minor: JSText.string(minor), patch: JSText.string(patch),
                             prerelease: prerelease.map { JSText.string($0) }, build: build.map { JSText.string($0) })
        }
        return nil
    }

    /// The patch lengths to try, longest first, as a backtracking matcher would try them.
    /// Strict mode needs a `-` or `+` after the patch, so only one length is possible; loose
    /// mode may hand trailing digits to an unhyphenated prerelease.
    private static func patchLengths(_ tail: ArraySlice<Unicode.Scalar>, wildcards: Bool, loose: Bool) -> (longest: Int, shortest: Int) {
        guard let first = tail.first else { return (0, 0) }
        if wildcards && first.isWildcard { return (1, 1) }
        if !loose {
            let length = tail.prefix { $0 != "-" && $0 != "+" }.count
            return (length, length)
        }
        return (min(tail.prefix(while: \.isASCIIDigit).count, maxDigitRun), 1)
    }

    // MARK: Prerelease and build suffixes

    typealias Suffix = (prerelease: ArraySlice<Unicode.Scalar>?, build: ArraySlice<Unicode.Scalar>?)

    /// `(?:-(pre))?(?:\+(build))?` up to the end of the text.
    private static func matchStrictSuffix(_ text: ArraySlice<Unicode.Scalar>) -> Suffix? {
        if text.first == "-" { return matchPrereleaseAndBuild(text.dropFirst(), loose: false) }
        return matchBuildOnly(text)
    }

    /// `(?:-?(pre))?(?:\+(build))?` up to the end of the text, trying (as a backtracking
    /// matcher does) a consumed hyphen first, then a prerelease starting with the hyphen,
    /// then no prerelease at all.
    private static func matchLooseSuffix(_ text: ArraySlice<Unicode.Scalar>) -> Suffix? {
        if text.first == "-", let match = matchPrereleaseAndBuild(text.dropFirst(), loose: true) { return match }
        if let match = matchPrereleaseAndBuild(text, loose: true) { return match }
        return matchBuildOnly(text)
    }

    private static func matchPrereleaseAndBuild(_ text: ArraySlice<Unicode.Scalar>, loose: Bool) -> Suffix? {
        let prerelease = text.prefix { $0 != "+" }
        guard isDottedList(prerelease, { isPrereleaseIdentifier($0, loose: loose) }) else { return nil }
        guard let build = matchBuildOnly(text.dropFirst(prerelease.count)) else { return nil }
        return (prerelease, build.build)
    }

    private static func matchBuildOnly(_ text: ArraySlice<Unicode.Scalar>) -> Suffix? {
        if text.isEmpty { return (nil, nil) }
        guard text.first == "+" else { return nil }
        let build = text.dropFirst()
        return isDottedList(build, isBuildIdentifier) ? (nil, build) : nil
    }
}
