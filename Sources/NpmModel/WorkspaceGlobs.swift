public import SafeJSON

/// The workspaces a root package.json declares, read as @npmcli/map-workspaces reads them: its
/// `workspaces` globs (an array, or `{"packages": [...]}`); a run of leading `!` negates when odd;
/// one leading `./` or `/` is dropped; a negation is dropped only where a later pattern, read as a
/// path, matches it, and the others exclude whatever the order (found by a re-attack: a negation
/// listed first was overridden here, not in npm); `*`, `?`, `[…]` classes and `{a,b}` alternatives
/// within a path part (never a leading dot), `**` for any number of parts; nothing below a
/// `node_modules` folder. A glob with syntax this reader does not know (extglobs, escapes, nested
/// braces) fails closed: as an inclusion it matches nothing, as an exclusion it makes every folder
/// no workspace (found by review).
public struct WorkspaceGlobs: Sendable {
    struct Pattern: Sendable {
        let negate: Bool
        /// The pattern as written, after the `!`s and one `./` or `/`.
        let body: String
        /// Each alternative's path parts; nil for a glob this reader does not know.
        let alternatives: [[String]]?

        /// Whether `parts` (a folder, or a pattern read as a path) matches; never for an unknown glob.
        func matches(_ parts: [String]) -> Bool {
            alternatives?.contains { WorkspaceGlobs.matches($0[...], parts[...]) } ?? false
        }
    }

    let includes: [Pattern]
    let exclusions: [Pattern]

    public init(_ root: JSONValue?) {
        let listed = root?["workspaces"]?.arrayValue ?? root?["workspaces"]?["packages"]?.arrayValue ?? []
        var includes: [Pattern] = [], exclusions: [Pattern] = []
        for pattern in listed.compactMap(\.stringValue).map(Self.pattern) {
            if pattern.negate { exclusions.append(pattern); continue }
            let asPath = pattern.body.split(separator: "/").map(String.init)
            exclusions.removeAll { $0.alternatives != nil && $0.matches(asPath) }
            includes.append(pattern)
        }
        self.includes = includes.filter { include in !exclusions.contains { $0.matches(include.body.split(separator: "/").map(String.init)) } }
        self.exclusions = exclusions
    }

    /// Whether the project folder `location` (`packages/a`) is a declared workspace folder.
    public func contains(_ location: String) -> Bool {
        let parts = location.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains("node_modules"), !parts.contains(where: \.isEmpty) else { return false }
        guard !exclusions.contains(where: { $0.alternatives == nil || $0.matches(parts) }) else { return false }
        return includes.contains { $0.matches(parts) }
    }

    /// Whether `location` is, or may be, a declared workspace folder: also true where an inclusion
    /// has syntax this reader does not know or a `..` part. For refusing where npm may see a
    /// workspace; `contains` is for excusing only where npm surely does.
    public func mayContain(_ location: String) -> Bool {
        let parts = location.split(separator: "/").map(String.init)
        return contains(location) || includes.contains { include in
            let body = include.body.split(separator: "/").map(String.init)
            if body.contains("..") {
                // `shared/../shared` is `shared`; a pattern leading out of the root reaches no folder in it.
                var resolved: [String] = []
                for part in body where part != "." {
                    if part == ".." { guard !resolved.isEmpty else { return false }; resolved.removeLast() } else { resolved.append(part) }
                }
                return Self.pattern(resolved.joined(separator: "/")).matches(parts) || Self.pattern(resolved.joined(separator: "/")).alternatives == nil
            }
            guard include.alternatives == nil else { return false }
            // An unread glob may reach a folder below its leading literal parts only.
            let literal = body.prefix { !$0.contains(where: { "*?[]{}()!+@\\".contains($0) }) }
            return parts.starts(with: literal)
        }
    }

    static func pattern(_ text: String) -> Pattern {
        let bangs = text.prefix { $0 == "!" }.count
        var body = Substring(text.dropFirst(bangs))
        if body.hasPrefix("./") { body = body.dropFirst(1) }
        body = body.drop { $0 == "/" }
        let negate = bangs % 2 == 1
        // An inclusion may match less than npm's, never more: `@(a|b)` and `+(a|b)` are read as
        // `{a,b}` (found by a re-attack: npm's own lockfile for such globs was refused). An
        // exclusion with an extglob stays unread, and so excludes everything.
        let written = negate ? String(body) : Self.extglobsAsBraces(String(body))
        return Pattern(negate: negate, body: String(body), alternatives: expandBraces(written)?.map {
            $0.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        })
    }

    /// `@(a|b)` and `+(a|b)` as `{a,b}` (`@(a)` as `a`); other text, and other extglobs, as it is.
    static func extglobsAsBraces(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let open = rest.firstIndex(of: "("), open > rest.startIndex,
              "@+".contains(rest[rest.index(before: open)]), let close = rest[open...].firstIndex(of: ")") {
            let inner = rest[rest.index(after: open)..<close]
            guard !inner.isEmpty, !inner.contains("("), !inner.contains("{"), !inner.contains(",") else { break }
            let choices = inner.split(separator: "|", omittingEmptySubsequences: false)
            guard !choices.contains(where: \.isEmpty) else { break }
            out += rest[..<rest.index(before: open)] + (choices.count == 1 ? String(inner) : "{" + choices.joined(separator: ",") + "}")
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// `a{b,c}d` as `abd`, `acd`; nil for nested braces, an escape or an extglob.
    static func expandBraces(_ text: String) -> [String]? {
        if text.contains("\\") || ["+(", "@(", "!(", "?(", "*("].contains(where: text.contains) { return nil }
        guard let open = text.firstIndex(of: "{") else { return text.contains("}") ? nil : [text] }
        guard let close = text[open...].firstIndex(of: "}") else { return nil }
        let inner = text[text.index(after: open)..<close]
        guard !inner.contains("{"), inner.contains(",") else { return nil }
        let rest = expandBraces(String(text[text.index(after: close)...]))
        return rest.map { tails in inner.split(separator: ",", omittingEmptySubsequences: false).flatMap { choice in tails.map { text[..<open] + choice + $0 } } }
    }

    static func matches(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return parts.isEmpty }
        if head == "**" {
            if matches(pattern.dropFirst(), parts) { return true }
            guard let part = parts.first, !part.hasPrefix(".") else { return false }
            return matches(pattern, parts.dropFirst())
        }
        guard let part = parts.first, !(part.hasPrefix(".") && !head.hasPrefix(".")),
              matchesPart(Array(head.unicodeScalars)[...], Array(part.unicodeScalars)[...]) else { return false }
        return matches(pattern.dropFirst(), parts.dropFirst())
    }

    private static func matchesPart(_ glob: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = glob.first else { return text.isEmpty }
        switch first {
        case "*":
            var rest = text
            while true {
                if matchesPart(glob.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case "?":
            return !text.isEmpty && matchesPart(glob.dropFirst(), text.dropFirst())
        case "[":
            guard let close = glob.dropFirst(2).firstIndex(of: "]"), let character = text.first else { return false }
            var set = glob[(glob.startIndex + 1)..<close]
            let negated = set.first == "!" || set.first == "^"
            if negated { set = set.dropFirst() }
            var inSet = false, index = set.startIndex
            while index < set.endIndex {
                if index + 2 < set.endIndex, set[index + 1] == "-" {
                    if (set[index].value...set[index + 2].value).contains(character.value) { inSet = true }
                    index += 3
                } else {
                    if set[index] == character { inSet = true }
                    index += 1
                }
            }
            return inSet != negated && matchesPart(glob[(close + 1)...], text.dropFirst())
        default:
            return text.first == first && matchesPart(glob.dropFirst(), text.dropFirst())
        }
    }
}
