import FoundationEssentials

/// A pattern where `*` matches any run of characters (including `/` and none); everything else
/// matches itself. No `?`, no classes, no escapes: policies stay readable and predictable.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let pieces: [Substring]

    public init(_ text: String) {
        self.text = text
        pieces = text.split(separator: "*", omittingEmptySubsequences: false)
    }

    public var description: String { text }

    /// True when the pattern has no `*` (it is then an exact string).
    public var isLiteral: Bool { pieces.count == 1 }

    /// Whether `value` matches the whole pattern.
    public func matches(_ value: String) -> Bool {
        guard pieces.count > 1 else { return value == text }
        var rest = Substring(value)
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        let last = pieces[pieces.count - 1]
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = rest.firstRange(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}
