// MARK: - Range text to comparator sets

/// node-semver's `Range` constructor: range text to `||`-alternatives of comparators.
enum RangeParser {
    /// Parses `text`; `raw` is the whitespace-normalised text node keeps for messages.
    static func parse(_ text: String, _ options: RangeOptions) throws -> (raw: String, sets: [[Comparator]]) {
        let raw = JSText.collapsingWhitespace(text)
        var sets = try JSText.split(raw, separator: "||")
            .map { try parseAlternative(JSText.trimmed($0), options, raw: raw) }
            .filter { !$0.isEmpty }
        guard let first = sets.first else {
            throw SemverError(.invalidRange, input: text, "Invalid SemVer range \"\(raw)\"")
        }
        if sets.count > 1 {
            // Drop alternatives nothing satisfies, unless nothing else is left ...
            sets = sets.filter { !($0.first?.isNullSet ?? false) }
            if sets.isEmpty {
                sets = [first]
            } else if sets.count > 1, let any = sets.first(where: { $0.count == 1 && $0[0].isAny }) {
                // ... and if any alternative matches everything, that is the whole range.
                sets = [any]
            }
        }
        return (raw, sets)
    }

    /// One `||` alternative: whitespace-separated comparators, all of which must hold.
    static func parseAlternative(_ text: String, _ options: RangeOptions, raw: String) throws -> [Comparator] {
        var scalars = JSText.scalars(text)
        if let hyphen = Desugar.hyphenRange(scalars, options) { scalars = JSText.scalars(hyphen) }
        scalars = RangeCleanup.joinOperators(scalars)
        scalars = RangeCleanup.joinPrefixOperator(scalars, symbol: "~", allowsGreaterThan: true)
        scalars = RangeCleanup.joinPrefixOperator(scalars, symbol: "^", allowsGreaterThan: false)

        let desugared = JSText.split(JSText.string(scalars), separator: " ")
            .map { Desugar.comparators(for: $0, options) }
            .joined(separator: " ")
        var tokens = JSText.splitOnWhitespace(desugared).map { Desugar.droppingMatchAll($0, options) }
        if options.loose {
            tokens = tokens.filter(Comparator.isWellFormedLoose)
        }
        let comparators = try tokens.map { token in
            do { return try Comparator(parsing: token, loose: options.loose) } catch let error as SemverError {
                throw error.inRange(raw)
            }
        }
        if let nothing = comparators.first(where: \.isNullSet) {
            return [nothing]
        }
        // One comparator per distinct value, in first-seen order; "any" only if alone.
        var seen = Set<String>()
        var unique = comparators.filter { seen.insert($0.value).inserted }
        if unique.count > 1 {
            unique.removeAll(where: \.isAny)
        }
        return unique
    }

    /// node-semver's `format()`: comparators joined by spaces, alternatives by `||`.
    static func format(_ sets: [[Comparator]]) -> String {
        let text = sets.map { JSText.trimmed($0.map(\.value).joined(separator: " ")) }.joined(separator: "||")
        return JSText.trimmed(text)
    }
}
