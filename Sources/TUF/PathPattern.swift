/// Delegation path patterns: shell globs (`*`, `?`, `[seq]`, `[!seq]`) matched per `/`-separated
/// segment, so a wildcard never matches a separator and both must have as many segments
/// (python-tuf's `_is_target_in_pathpattern` with `fnmatch`). Case-sensitive.
public enum PathPattern {
    public static func matches(path: String, pattern: String) -> Bool {
        let pathParts = path.split(separator: "/", omittingEmptySubsequences: false)
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard pathParts.count == patternParts.count else { return false }
        return zip(pathParts, patternParts).allSatisfy { glob(Array($0.unicodeScalars), tokens(Array($1.unicodeScalars))) }
    }

    enum Token {
        case star, any
        case literal(Unicode.Scalar)
        case set(negated: Bool, ranges: [ClosedRange<UInt32>])

        func matches(_ c: Unicode.Scalar) -> Bool {
            switch self {
            case .star, .any: true
            case .literal(let l): l == c
            case .set(let negated, let ranges): ranges.contains { $0.contains(c.value) } != negated
            }
        }
    }

    static func tokens(_ p: [Unicode.Scalar]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < p.count {
            let c = p[i]
            i += 1
            switch c {
            case "*": out.append(.star)
            case "?": out.append(.any)
            case "[":
                var j = i
                if j < p.count, p[j] == "!" { j += 1 }
                if j < p.count, p[j] == "]" { j += 1 }
                while j < p.count, p[j] != "]" { j += 1 }
                guard j < p.count else { out.append(.literal("[")); continue }
                var body = Array(p[i..<j])
                i = j + 1
                let negated = body.first == "!"
                if negated { body.removeFirst() }
                var ranges: [ClosedRange<UInt32>] = []
                var k = 0
                while k < body.count {
                    if k + 2 < body.count, body[k + 1] == "-" {
                        if body[k].value <= body[k + 2].value { ranges.append(body[k].value...body[k + 2].value) }
                        k += 3
                    } else {
                        ranges.append(body[k].value...body[k].value)
                        k += 1
                    }
                }
                out.append(.set(negated: negated, ranges: ranges))
            default: out.append(.literal(c))
            }
        }
        return out
    }

    /// Wildcard matching with backtracking to the last `*`.
    static func glob(_ s: [Unicode.Scalar], _ t: [Token]) -> Bool {
        var si = 0, ti = 0
        var starT = -1, starS = 0
        while si < s.count {
            if ti < t.count, case .star = t[ti] {
                starT = ti; starS = si; ti += 1
            } else if ti < t.count, t[ti].matches(s[si]) {
                si += 1; ti += 1
            } else if starT >= 0 {
                ti = starT + 1; starS += 1; si = starS
            } else {
                return false
            }
        }
        while ti < t.count, case .star = t[ti] { ti += 1 }
        return ti == t.count
    }
}
