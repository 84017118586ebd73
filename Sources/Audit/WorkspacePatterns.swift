import SafeJSON

/// The root package.json's `workspaces` globs (an array, or `{"packages": [...]}`), matched as
/// @npmcli/map-workspaces matches folders: `*` and `?` within one path part (not a leading dot),
/// `**` for any number of parts, `!` to exclude. npm's audit skips only these declared workspaces;
/// a link elsewhere is audited as what the edge asks for. A glob this reader does not know (braces,
/// classes) matches nothing, so such a folder is audited, never skipped.
struct WorkspacePatterns: Sendable {
    private let include: [[Substring]]
    private let exclude: [[Substring]]

    init(_ root: JSONValue?) {
        let listed = root?["workspaces"]?.arrayValue ?? root?["workspaces"]?["packages"]?.arrayValue ?? []
        let patterns = listed.compactMap(\.stringValue).map { text -> (negated: Bool, parts: [Substring]) in
            let negated = text.hasBytePrefix("!")
            var body = Substring(negated ? String(text.dropFirst()) : text)
            while body.hasPrefix("./") { body = body.dropFirst(2) }
            return (negated, body.split(separator: "/", omittingEmptySubsequences: true))
        }
        include = patterns.filter { !$0.negated }.map(\.parts)
        exclude = patterns.filter(\.negated).map(\.parts)
    }

    /// Whether the project folder `location` (`packages/a`) is a declared workspace.
    func contains(_ location: String) -> Bool {
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        return include.contains { Self.matches($0[...], parts[...]) } && !exclude.contains { Self.matches($0[...], parts[...]) }
    }

    private static func matches(_ pattern: ArraySlice<Substring>, _ parts: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return parts.isEmpty }
        if head == "**" {
            if matches(pattern.dropFirst(), parts) { return true }
            guard let part = parts.first, !part.hasPrefix(".") else { return false }
            return matches(pattern, parts.dropFirst())
        }
        guard let part = parts.first, matchesPart(Array(head.unicodeScalars)[...], Array(part.unicodeScalars)[...], start: true) else { return false }
        return matches(pattern.dropFirst(), parts.dropFirst())
    }

    private static func matchesPart(_ glob: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>, start: Bool) -> Bool {
        guard let first = glob.first else { return text.isEmpty }
        if ["{", "}", "[", "]", "\\", "+", "@", "!", "("].contains(first) { return false }
        if first == "*" {
            if start, text.first == "." { return false }
            var rest = text
            while true {
                if matchesPart(glob.dropFirst(), rest, start: false) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let character = text.first, first == "?" ? !(start && character == ".") : first == character else { return false }
        return matchesPart(glob.dropFirst(), text.dropFirst(), start: false)
    }
}
