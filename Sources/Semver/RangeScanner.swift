// MARK: - Scanning inside range text

/// Left-to-right scans over range text, reproducing the extent a leftmost, greedy
/// (backtracking) matcher would give node-semver's patterns. The extents matter because
/// node-semver's clean-up passes rewrite every match and resume after it.
///
/// The passes try a match at every position, so no extent may cost more than a bounded scan:
/// runs stop at the grammar's caps, and the one unbounded run, `[v=\s]*`, is measured once for
/// every position (found by review: rescanning it made a range of 160,000 `v`s take 21 s).
struct RangeScanner {
    let text: [Unicode.Scalar]
    /// `prefixEnds[i]`: the end of the `[v=\s]*` run that starts at `i`.
    private let prefixEnds: [Int]

    init(_ text: [Unicode.Scalar]) {
        self.text = text
        var ends = [Int](repeating: text.count, count: text.count + 1)
        for i in text.indices.reversed() { ends[i] = text[i].isVersionPrefix ? ends[i + 1] : i }
        prefixEnds = ends
    }

    subscript(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < text.count ? text[i] : nil }

    /// How many characters from `i` on satisfy `predicate`, counting at most `limit`.
    func run(from i: Int, atMost limit: Int, while predicate: (Unicode.Scalar) -> Bool) -> Int {
        var j = i
        while j < text.count, j - i < limit, predicate(text[j]) { j += 1 }
        return j - i
    }

    func isWhitespace(_ i: Int) -> Bool { self[i].map(JSText.isWhitespace) ?? false }

    /// End of `[v=\s]*` starting at `i`.
    func prefixEnd(_ i: Int) -> Int { i >= 0 && i < text.count ? prefixEnds[i] : max(i, 0) }

    // MARK: Greedy extents

    /// `\d{1,256}` as a prerelease identifier, else `[a-zA-Z-][a-zA-Z0-9-]{0,250}`.
    private func looseIdentifierEnd(_ i: Int) -> Int? {
        let digits = run(from: i, atMost: Grammar.maxDigitRun, while: \.isASCIIDigit)
        if digits > 0 { return i + digits }
        return identifierTailEnd(i)
    }

    /// `0`, `[1-9]\d{0,256}`, else `[a-zA-Z-][a-zA-Z0-9-]{0,250}`.
    private func strictIdentifierEnd(_ i: Int) -> Int? {
        guard let c = self[i] else { return nil }
        if c == "0" { return i + 1 }
        if c.isASCIIDigit { return i + 1 + run(from: i + 1, atMost: Grammar.maxDigitRun, while: \.isASCIIDigit) }
        return identifierTailEnd(i)
    }

    private func identifierTailEnd(_ i: Int) -> Int? {
        guard self[i]?.isIdentifierLetter == true else { return nil }
        return i + 1 + run(from: i + 1, atMost: Grammar.maxIdentifierTail, while: \.isIdentifierCharacter)
    }

    /// `identifier(\.identifier)*` after a first identifier ending at `end`.
    private func dottedEnd(_ end: Int, _ identifierEnd: (Int) -> Int?) -> Int {
        var end = end
        while self[end] == ".", let next = identifierEnd(end + 1) { end = next }
        return end
    }

    /// `(?:\+build(\.build)*)?` at `i`.
    private func buildEnd(_ i: Int) -> Int {
        guard self[i] == "+" else { return i }
        let first = run(from: i + 1, atMost: Grammar.maxIdentifierTail, while: \.isIdentifierCharacter)
        guard first > 0 else { return i }
        return dottedEnd(i + 1 + first) { j in
            let length = run(from: j, atMost: Grammar.maxIdentifierTail, while: \.isIdentifierCharacter)
            return length > 0 ? j + length : nil
        }
    }

    /// A loose full version `[v=\s]*\d+\.\d+\.\d+` with optional (hyphen-optional)
    /// prerelease and build, as far as it greedily extends.
    func loosePlainEnd(_ i: Int) -> Int? {
        var j = prefixEnd(i)
        for _ in 0..<2 {
            let digits = run(from: j, atMost: Grammar.maxDigitRun + 1, while: \.isASCIIDigit)
            guard digits > 0, digits <= Grammar.maxDigitRun, self[j + digits] == "." else { return nil }
            j += digits + 1
        }
        let patch = run(from: j, atMost: Grammar.maxDigitRun, while: \.isASCIIDigit)
        guard patch > 0 else { return nil }
        j += patch
        if self[j] == "-", let end = looseIdentifierEnd(j + 1) {
            j = dottedEnd(end, looseIdentifierEnd)
        } else if let end = looseIdentifierEnd(j) {
            j = dottedEnd(end, looseIdentifierEnd)
        }
        return buildEnd(j)
    }

    /// `0`, `[1-9]\d{0,256}` or a wildcard.
    private func xPartEnd(_ i: Int) -> Int? {
        guard let c = self[i] else { return nil }
        if c.isWildcard { return i + 1 }
        return c.isASCIIDigit ? strictIdentifierEnd(i) : nil
    }

    /// A strict x-range version `[v=\s]*X(\.X(\.X(-pre)?(+build)?)?)?` as far as it greedily extends.
    func xRangePlainEnd(_ i: Int) -> Int? {
        guard var j = xPartEnd(prefixEnd(i)) else { return nil }
        guard self[j] == ".", let minorEnd = xPartEnd(j + 1) else { return j }
        j = minorEnd
        guard self[j] == ".", let patchEnd = xPartEnd(j + 1) else { return j }
        j = patchEnd
        if self[j] == "-", let end = strictIdentifierEnd(j + 1) { j = dottedEnd(end, strictIdentifierEnd) }
        return buildEnd(j)
    }

    // MARK: Operators

    /// The ends of `((?:<|>)?=?)` at `i`, most greedy first.
    func operatorEnds(_ i: Int) -> [Int] {
        var ends: [Int] = []
        if self[i] == "<" || self[i] == ">" {
            if self[i + 1] == "=" { ends.append(i + 2) }
            ends.append(i + 1)
        }
        if self[i] == "=" { ends.append(i + 1) }
        ends.append(i)
        return ends
    }

    /// The ends of an optional whitespace at `i`, greedy first.
    func optionalWhitespaceEnds(_ i: Int) -> [Int] {
        isWhitespace(i) ? [i + 1, i] : [i]
    }
}
