// MARK: - Whitespace clean-up passes

/// The rewriting passes node-semver runs over one `||` alternative before splitting it into
/// comparators: they glue operators to the version that follows (`> 1.2.3` → `>1.2.3`,
/// `~ 1.2` → `~1.2`, `^ 1.2` → `^1.2`). Each pass rewrites every match left to right and
/// resumes after it, so the match extents come from `RangeScanner`.
enum RangeCleanup {
    /// Removes whitespace between a comparison operator and a version-like text.
    static func joinOperators(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let scanner = RangeScanner(text)
        var output: [Unicode.Scalar] = []
        var i = 0
        while i < text.count {
            if let match = operatorMatch(scanner, at: i) {
                output.append(contentsOf: text[i..<match.operatorEnd])
                output.append(contentsOf: text[match.versionStart..<match.end])
                i = match.end
            } else {
                output.append(text[i])
                i += 1
            }
        }
        return output
    }

    /// `(\s?)((?:<|>)?=?)\s?(loose version | x-range version)` at `i`, trying the
    /// alternatives in a backtracking matcher's order.
    private static func operatorMatch(_ scanner: RangeScanner, at i: Int) -> (operatorEnd: Int, versionStart: Int, end: Int)? {
        for operatorStart in scanner.optionalWhitespaceEnds(i) {
            for operatorEnd in scanner.operatorEnds(operatorStart) {
                for versionStart in scanner.optionalWhitespaceEnds(operatorEnd) {
                    if let end = scanner.loosePlainEnd(versionStart) ?? scanner.xRangePlainEnd(versionStart) {
                        return (operatorEnd, versionStart, end)
                    }
                }
            }
        }
        return nil
    }

    /// Rewrites `(\s?)<symbol>\s` to `$1<symbol>`. For `~`, a following `>` is also accepted
    /// and dropped (`~> 1.2` → `~1.2`).
    static func joinPrefixOperator(_ text: [Unicode.Scalar], symbol: Unicode.Scalar, allowsGreaterThan: Bool) -> [Unicode.Scalar] {
        let scanner = RangeScanner(text)
        var output: [Unicode.Scalar] = []
        var i = 0
        scanning: while i < text.count {
            for symbolAt in scanner.optionalWhitespaceEnds(i) where scanner[symbolAt] == symbol {
                var ends = [symbolAt + 1]
                if allowsGreaterThan && scanner[symbolAt + 1] == ">" { ends.insert(symbolAt + 2, at: 0) }
                for end in ends where scanner.isWhitespace(end) {
                    output.append(contentsOf: text[i..<symbolAt])
                    output.append(symbol)
                    i = end + 1
                    continue scanning
                }
            }
            output.append(text[i])
            i += 1
        }
        return output
    }

    /// Removes the first `(<|>)?=?\s?\*`: a star adds nothing to the comparators it is
    /// AND-ed with (this is also why `1.2.3*` reads as `1.2.3` in node-semver).
    static func removingFirstStar(_ text: String) -> String {
        guard text.unicodeScalars.contains("*") else { return text }
        let scalars = JSText.scalars(text)
        let scanner = RangeScanner(scalars)
        for start in scalars.indices {
            var operatorEnds = [start]
            if scanner[start] == "<" || scanner[start] == ">" { operatorEnds.insert(start + 1, at: 0) }
            for afterAngle in operatorEnds {
                let equalsEnds = scanner[afterAngle] == "=" ? [afterAngle + 1, afterAngle] : [afterAngle]
                for afterEquals in equalsEnds {
                    for starAt in scanner.optionalWhitespaceEnds(afterEquals) where scanner[starAt] == "*" {
                        return JSText.string(scalars[..<start]) + JSText.string(scalars[(starAt + 1)...])
                    }
                }
            }
        }
        return text
    }
}
