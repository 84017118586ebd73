// MARK: - Range sugar

/// Options that change how range text is read.
struct RangeOptions: Hashable, Sendable {
    var loose = false
    var includePrerelease = false
}

/// Rewrites range sugar into primitive comparators, with node-semver's exact output text:
/// hyphen ranges, `^`, `~`/`~>`, x-ranges and `*`. Upper bounds end in `-0` so that no
/// prerelease of the excluded version slips in (`^1.2.3` → `>=1.2.3 <2.0.0-0`).
enum Desugar {
    /// `x`, `X`, `*`, or a part that was left out.
    static func isX(_ part: String?) -> Bool {
        guard let part, !part.isEmpty else { return true }
        return part == "x" || part == "X" || part == "*"
    }

    /// `${+part + 1}`. Only parts that were written (not wildcards) are ever incremented.
    static func plus1(_ part: String?) -> String { JSNumber.incremented(part ?? "0") }

    /// Reads `[v=\s]*` and an x-range version filling the rest of `text`.
    static func xVersion(_ text: ArraySlice<Unicode.Scalar>, _ options: RangeOptions) -> CoreParts? {
        let start = text.firstIndex { !$0.isVersionPrefix } ?? text.endIndex
        return Grammar.matchCore(text[start...], wildcards: true, complete: false, loose: options.loose)
    }

    // MARK: Hyphen ranges

    /// `A - B` (the whole alternative) → `>=A <=B`, with partial ends widened:
    /// `1.2 - 2.3` → `>=1.2.0 <2.4.0-0`. Nil when the text is not a hyphen range.
    static func hyphenRange(_ text: [Unicode.Scalar], _ options: RangeOptions) -> String? {
        let scanner = RangeScanner(text)
        let fromStart = scanner.isWhitespace(0) ? 1 : 0
        let fromCore = scanner.prefixEnd(fromStart)
        guard let gap = text[fromCore...].firstIndex(where: JSText.isWhitespace),
              scanner[gap + 1] == "-", scanner.isWhitespace(gap + 2) else { return nil }
        let toStart = gap + 3
        var end = text.count
        if end > toStart, scanner.isWhitespace(end - 1) { end -= 1 }
        let toCore = min(scanner.prefixEnd(toStart), end)
        guard !text[toCore..<end].contains(where: JSText.isWhitespace),
              let from = Grammar.matchCore(text[fromCore..<gap], wildcards: true, complete: false, loose: options.loose),
              let to = Grammar.matchCore(text[toCore..<end], wildcards: true, complete: false, loose: options.loose)
        else { return nil }
        let fromText = JSText.string(text[fromStart..<gap])
        let toText = JSText.string(text[toStart..<end])
        let lower = hyphenLower(from, written: fromText, options)
        let upper = hyphenUpper(to, written: toText, options)
        return JSText.trimmed("\(lower) \(upper)")
    }

    /// The lower end of `A - B`: a partial `A` is widened down (`1.2` → `>=1.2.0`).
    private static func hyphenLower(_ from: CoreParts, written: String, _ options: RangeOptions) -> String {
        let z = options.includePrerelease ? "-0" : ""
        if isX(from.major) { return "" }
        if isX(from.minor) { return ">=\(from.major).0.0\(z)" }
        if isX(from.patch) { return ">=\(from.major).\(from.minor ?? "").0\(z)" }
        return from.prerelease == nil ? ">=\(written)\(z)" : ">=\(written)"
    }

    /// The upper end of `A - B`: a partial `B` is widened up (`2.3` → `<2.4.0-0`).
    private static func hyphenUpper(_ to: CoreParts, written: String, _ options: RangeOptions) -> String {
        switch (isX(to.major), isX(to.minor), isX(to.patch)) {
        case (true, _, _): return ""
        case (false, true, _): return "<\(plus1(to.major)).0.0-0"
        case (false, false, true): return "<\(to.major).\(plus1(to.minor)).0-0"
        default: break
        }
        if let prerelease = to.prerelease { return "<=\(to.major).\(to.minor ?? "").\(to.patch ?? "")-\(prerelease)" }
        return options.includePrerelease ? "<\(to.major).\(to.minor ?? "").\(plus1(to.patch))-0" : "<=\(written)"
    }

    // MARK: One comparator token

    /// node-semver's `parseComparator` for one space-free token: caret, then tilde, then
    /// x-range rewriting, then dropping a star. The result may hold several comparators.
    static func comparators(for token: String, _ options: RangeOptions) -> String {
        var text = eachToken(JSText.trimmed(token)) { caret($0, options) }
        text = eachToken(JSText.trimmed(text)) { tilde($0, options) }
        text = eachToken(text) { xRange(JSText.trimmed($0), options) }
        return RangeCleanup.removingFirstStar(JSText.trimmed(text))
    }

    private static func eachToken(_ text: String, _ rewrite: (String) -> String) -> String {
        JSText.splitOnWhitespace(text).map(rewrite).joined(separator: " ")
    }

    /// `>=0.0.0` (or `>=0.0.0-0` when prereleases are included) means "any": drop it.
    static func droppingMatchAll(_ token: String, _ options: RangeOptions) -> String {
        let trimmed = JSText.trimmed(token)
        return trimmed == (options.includePrerelease ? ">=0.0.0-0" : ">=0.0.0") ? "" : trimmed
    }
}
