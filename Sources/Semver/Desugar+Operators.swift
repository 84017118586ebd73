// MARK: - Caret, tilde and x-ranges

extension Desugar {
    /// `^M.m.p`: changes that do not modify the left-most non-zero part.
    /// `^1.2.3` → `>=1.2.3 <2.0.0-0`, `^0.2.3` → `>=0.2.3 <0.3.0-0`, `^0.0.3` → `>=0.0.3 <0.0.4-0`,
    /// `^1.x` → `>=1.0.0 <2.0.0-0`, `^0.x` → `<1.0.0-0` once `>=0.0.0` is dropped.
    /// Returns the token unchanged when it is not a caret range.
    static func caret(_ token: String, _ options: RangeOptions) -> String {
        guard token.unicodeScalars.first == "^" else { return token }
        let scalars = JSText.scalars(token)
        guard scalars.first == "^", let v = xVersion(scalars.dropFirst(), options) else { return token }
        let z = options.includePrerelease ? "-0" : ""
        let (M, m, p) = (v.major, v.minor ?? "", v.patch ?? "")
        // node compares the written text with "0", so in loose mode `00` is not zero.
        if isX(v.major) { return "" }
        if isX(v.minor) { return ">=\(M).0.0\(z) <\(plus1(M)).0.0-0" }
        if isX(v.patch) {
            return M == "0" ? ">=\(M).\(m).0\(z) <\(M).\(plus1(m)).0-0" : ">=\(M).\(m).0\(z) <\(plus1(M)).0.0-0"
        }
        if let pr = v.prerelease {
            if M != "0" { return ">=\(M).\(m).\(p)-\(pr) <\(plus1(M)).0.0-0" }
            return m == "0" ? ">=\(M).\(m).\(p)-\(pr) <\(M).\(m).\(plus1(p))-0" : ">=\(M).\(m).\(p)-\(pr) <\(M).\(plus1(m)).0-0"
        }
        if M != "0" { return ">=\(M).\(m).\(p) <\(plus1(M)).0.0-0" }
        return m == "0" ? ">=\(M).\(m).\(p)\(z) <\(M).\(m).\(plus1(p))-0" : ">=\(M).\(m).\(p)\(z) <\(M).\(plus1(m)).0-0"
    }

    /// `~M.m.p` (also `~>`): patch-level changes if a minor is given, minor-level if not.
    /// `~1.2.3` → `>=1.2.3 <1.3.0-0`, `~1` → `>=1.0.0 <2.0.0-0`. Unchanged when not a tilde range.
    static func tilde(_ token: String, _ options: RangeOptions) -> String {
        guard token.unicodeScalars.first == "~" else { return token }
        let scalars = JSText.scalars(token)
        guard scalars.first == "~" else { return token }
        let rest = scalars.dropFirst()
        guard let v = xVersion(rest.first == ">" ? rest.dropFirst() : rest, options) else { return token }
        let (M, m, p) = (v.major, v.minor ?? "", v.patch ?? "")
        if isX(v.major) { return "" }
        if isX(v.minor) { return ">=\(M).0.0 <\(plus1(M)).0.0-0" }
        if isX(v.patch) { return ">=\(M).\(m).0 <\(M).\(plus1(m)).0-0" }
        if let pr = v.prerelease { return ">=\(M).\(m).\(p)-\(pr) <\(M).\(plus1(m)).0-0" }
        return ">=\(M).\(m).\(p) <\(M).\(plus1(m)).0-0"
    }

    /// An optionally-operator-prefixed x-range: `1.x` → `>=1.0.0 <2.0.0-0`, `>1.2` → `>=1.3.0`,
    /// `<=1.x` → `<2.0.0-0`, `*`/`x` → any, `<x`/`>x` → nothing (`<0.0.0-0`).
    /// Tokens without a wildcard (`>=1.2.3`) come back unchanged.
    static func xRange(_ token: String, _ options: RangeOptions) -> String {
        let scalars = JSText.scalars(token)
        let scanner = RangeScanner(scalars)
        guard let operatorEnd = scanner.operatorEnds(0).first,
              let v = xVersion(scalars[scanner.optionalWhitespaceEnds(operatorEnd)[0]...], options) else { return token }
        let xM = isX(v.major), xm = xM || isX(v.minor), xp = xm || isX(v.patch)
        var op = JSText.string(scalars[..<operatorEnd])
        if op == "=" && xp { op = "" }
        var pr = options.includePrerelease ? "-0" : ""

        if xM { return op == ">" || op == "<" ? "<0.0.0-0" : "*" }
        if !op.isEmpty && xp {
            var (M, m) = (v.major, xm ? "0" : v.minor ?? "0")
            if op == ">" {
                // >1 → >=2.0.0, >1.2 → >=1.3.0
                op = ">="
                if xm { M = plus1(M) } else { m = plus1(m) }
            } else if op == "<=" {
                // <=0.7.x is really <0.8.0-0
                op = "<"
                if xm { M = plus1(M) } else { m = plus1(m) }
            }
            if op == "<" { pr = "-0" }
            return "\(op)\(M).\(m).0\(pr)"
        }
        if xm { return ">=\(v.major).0.0\(pr) <\(plus1(v.major)).0.0-0" }
        if xp { return ">=\(v.major).\(v.minor ?? "").0\(pr) <\(v.major).\(plus1(v.minor)).0-0" }
        return token
    }
}
