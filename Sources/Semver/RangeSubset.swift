// MARK: - Subsets

extension VersionRange {
    /// node-semver's `subset(self, dom)` without includePrerelease: every version this range admits,
    /// `dom` admits too. npm's install saves `^version` rather than the range it was given exactly
    /// when that prefix range is a subset of it (found by review: `a@1` was saved as `1`).
    public func isSubset(of dom: VersionRange) -> Bool {
        guard let subSets = sets, let domSets = dom.sets else { return false }
        var sawNonNull = false
        outer: for simpleSub in subSets {
            for simpleDom in domSets {
                let isSub = Self.simpleSubset(simpleSub, simpleDom)
                sawNonNull = sawNonNull || isSub != nil
                if isSub == true { continue outer }
            }
            // The null set is a subset of everything: only a non-null alternative can fail.
            if sawNonNull { return false }
        }
        return true
    }

    /// node-semver's `minimumVersion`: what "any" stands for without prereleases.
    static let minimum = [try! Comparator(parsing: ">=0.0.0", loose: false)]

    /// One alternative in another; nil when `sub` admits nothing.
    static func simpleSubset(_ sub: [Comparator], _ dom: [Comparator]) -> Bool? {
        var sub = sub, dom = dom
        if sub.count == 1, sub[0].isAny {
            if dom.count == 1, dom[0].isAny { return true }
            sub = minimum
        }
        if dom.count == 1, dom[0].isAny { dom = minimum }
        let bounds = SubBounds(sub)
        guard let bounds else { return nil }
        if let equal = bounds.equal { return dom.allSatisfy { satisfies(equal, $0) } }
        return bounds.fits(in: dom)
    }

    /// `satisfies(version, String(comparator))`: the comparator and the prerelease rule.
    static func satisfies(_ version: SemanticVersion, _ comparator: Comparator) -> Bool {
        test([[comparator]], version, includePrerelease: false)
    }
}

/// The lower and upper bound of one alternative, or its one exact version.
struct SubBounds {
    var gt: Comparator?
    var lt: Comparator?
    var equal: SemanticVersion?
    /// How `gt` and `lt` compare, when both are there.
    var gtltComp: Int?

    /// nil when the alternative admits nothing (two exact versions, crossed bounds).
    init?(_ sub: [Comparator]) {
        var equals: [SemanticVersion] = []
        for c in sub {
            switch c.op {
            case .greaterThan, .greaterThanOrEqual: gt = Self.higher(gt, c)
            case .lessThan, .lessThanOrEqual: lt = Self.lower(lt, c)
            case .equal: if let v = c.version, !equals.contains(v) { equals.append(v) }
            }
        }
        if equals.count > 1 { return nil }
        if let gt, let lt, let g = gt.version, let l = lt.version {
            let comp = g < l ? -1 : (g == l ? 0 : 1)
            if comp > 0 || (comp == 0 && (gt.op != .greaterThanOrEqual || lt.op != .lessThanOrEqual)) { return nil }
            gtltComp = comp
        }
        if let eq = equals.first {
            if let gt, !VersionRange.satisfies(eq, gt) { return nil }
            if let lt, !VersionRange.satisfies(eq, lt) { return nil }
            equal = eq
        }
    }

    /// node-semver's `higherGT`: the tighter lower bound, `a` on a tie unless only `b` is strict.
    static func higher(_ a: Comparator?, _ b: Comparator) -> Comparator {
        guard let a, let av = a.version, let bv = b.version else { return b }
        if av != bv { return av > bv ? a : b }
        return b.op == .greaterThan && a.op == .greaterThanOrEqual ? b : a
    }

    /// node-semver's `lowerLT`: the tighter upper bound.
    static func lower(_ a: Comparator?, _ b: Comparator) -> Comparator {
        guard let a, let av = a.version, let bv = b.version else { return b }
        if av != bv { return av < bv ? a : b }
        return b.op == .lessThan && a.op == .lessThanOrEqual ? b : a
    }

    /// Whether the bounds lie within every comparator of `dom`.
    func fits(in dom: [Comparator]) -> Bool {
        // A prerelease bound needs a comparator of `dom` with the same tuple and a prerelease,
        // except `<x.y.z-0`, which is `<x.y.z`.
        var needLTPre = lt?.version.flatMap { $0.isPrerelease ? $0 : nil }
        if let l = needLTPre, lt?.op == .lessThan, l.prerelease == [.numeric(0)] { needLTPre = nil }
        var needGTPre = gt?.version.flatMap { $0.isPrerelease ? $0 : nil }
        var hasDomLT = false, hasDomGT = false
        for c in dom {
            let isGT = c.op == .greaterThan || c.op == .greaterThanOrEqual, isLT = c.op == .lessThan || c.op == .lessThanOrEqual
            hasDomGT = hasDomGT || isGT
            hasDomLT = hasDomLT || isLT
            if let gt {
                if let need = needGTPre, Self.sameTuplePrerelease(c, need) { needGTPre = nil }
                if isGT {
                    if Self.isTighter(c, than: gt, higher: true) { return false }
                } else if gt.op == .greaterThanOrEqual, let v = gt.version, !VersionRange.satisfies(v, c) { return false }
            }
            if let lt {
                if let need = needLTPre, Self.sameTuplePrerelease(c, need) { needLTPre = nil }
                if isLT {
                    if Self.isTighter(c, than: lt, higher: false) { return false }
                } else if lt.op == .lessThanOrEqual, let v = lt.version, !VersionRange.satisfies(v, c) { return false }
            }
            if c.op == .equal, gt != nil || lt != nil, gtltComp != 0 { return false }
        }
        if gt != nil, hasDomLT, lt == nil, gtltComp != 0 { return false }
        if lt != nil, hasDomGT, gt == nil, gtltComp != 0 { return false }
        return needGTPre == nil && needLTPre == nil
    }

    /// `higherGT(bound, c) === c` (or `lowerLT`): `c` is strictly tighter than `bound`.
    static func isTighter(_ c: Comparator, than bound: Comparator, higher: Bool) -> Bool {
        let chosen = higher ? Self.higher(bound, c) : Self.lower(bound, c)
        return chosen == c && chosen != bound
    }

    static func sameTuplePrerelease(_ c: Comparator, _ need: SemanticVersion) -> Bool {
        guard let v = c.version, v.isPrerelease else { return false }
        return v.major == need.major && v.minor == need.minor && v.patch == need.patch
    }
}
