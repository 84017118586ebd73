// MARK: - Comparators

/// One primitive condition of a range, `<1.2.3`, `>=1.0.0-0`, `1.2.3`, or "any" (empty text).
/// Every range is desugared into `||`-alternatives of AND-ed comparators.
struct Comparator: Sendable, Equatable {
    enum Operator: String, Sendable {
        case lessThan = "<"
        case lessThanOrEqual = "<="
        case greaterThan = ">"
        case greaterThanOrEqual = ">="
        case equal = ""
    }

    let op: Operator
    /// nil for the comparator that matches any version.
    let version: SemanticVersion?

    static let any = Comparator(op: .equal, version: nil)

    /// node-semver's `value`: operator plus normalised version, or "" for any.
    var value: String { version.map { op.rawValue + $0.description } ?? "" }

    /// `<0.0.0-0`, which nothing satisfies.
    var isNullSet: Bool { value == "<0.0.0-0" }

    var isAny: Bool { version == nil }

    // MARK: Parsing

    /// Parses one desugared comparator token (`>=1.2.3`, `=v1.2.3`, or empty); range parsing
    /// has already split comparators at whitespace.
    init(parsing token: String, loose: Bool) throws {
        let scalars = JSText.scalars(token)
        if scalars.isEmpty {
            self = .any
            return
        }
        guard let match = Comparator.match(scalars, loose: loose) else {
            throw SemverError(.invalidComparator, input: token, "Invalid comparator \"\(token)\"")
        }
        op = match.op
        version = try SemanticVersion.parse(scalars[match.versionStart...], loose: loose,
                                            text: JSText.string(scalars[match.versionStart...]))
    }

    private init(op: Operator, version: SemanticVersion?) {
        self.op = op
        self.version = version
    }

    /// `^((?:<|>)?=?)\s?(version)$` where version is strict `v?M.m.p…` or loose
    /// `[v=\s]*M.m.p…`. The operator is greedy; a shorter one could never help, because what
    /// it gives back (`=`) is only acceptable to the loose version prefix, which takes it anyway.
    private static func match(_ scalars: [Unicode.Scalar], loose: Bool) -> (op: Operator, versionStart: Int)? {
        let scanner = RangeScanner(scalars)
        guard let operatorEnd = scanner.operatorEnds(0).first else { return nil }
        let operatorText = JSText.string(scalars[..<operatorEnd])
        guard let op = Operator(rawValue: operatorText == "=" ? "" : operatorText) else { return nil }
        let versionStart = scanner.optionalWhitespaceEnds(operatorEnd)[0]
        var coreStart = versionStart
        if loose {
            coreStart = scanner.prefixEnd(versionStart)
        } else if scanner[versionStart] == "v" {
            coreStart += 1
        }
        guard Grammar.matchCore(scalars[coreStart...], wildcards: false, complete: true, loose: loose) != nil else { return nil }
        return (op, versionStart)
    }

    /// Whether a desugared token survives loose mode's filter (`COMPARATORLOOSE`); loose
    /// ranges silently drop the rest.
    static func isWellFormedLoose(_ token: String) -> Bool {
        let scalars = JSText.scalars(token)
        return scalars.isEmpty || match(scalars, loose: true) != nil
    }

    // MARK: Testing

    func test(_ candidate: SemanticVersion) -> Bool {
        guard let version else { return true }
        let order = SemanticVersion.compare(candidate, version)
        switch op {
        case .lessThan: return order < 0
        case .lessThanOrEqual: return order <= 0
        case .greaterThan: return order > 0
        case .greaterThanOrEqual: return order >= 0
        case .equal: return order == 0
        }
    }
}
