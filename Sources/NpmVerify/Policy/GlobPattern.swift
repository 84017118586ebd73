import FoundationEssentials

/// A pattern where `*` matches any run of characters (including `/` and none); everything else
/// matches itself. No `?`, no classes, no escapes: policies stay readable and predictable.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let pieces: [[UInt8]]

    public init(_ text: String) {
        self.text = text
        pieces = text.utf8.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
    }

    public var description: String { text }

    /// True when the pattern has no `*` (it is then an exact string).
    public var isLiteral: Bool { pieces.count == 1 }

    /// Whether `value` matches with no `*` reaching across a `separator` the pattern spells out:
    /// both are cut at every `separator` and matched piece by piece. For a builder pinned as
    /// `…/*@refs/tags/v*`, a branch named `x@refs/tags/v9` must not pass for a tag (found by
    /// review); a pattern without the separator still matches across it.
    public func matches(_ value: String, keepingApart separator: UInt8) -> Bool {
        guard text.utf8.contains(separator) else { return matches(value) }
        let patterns = text.utf8.split(separator: separator, omittingEmptySubsequences: false)
        let values = value.utf8.split(separator: separator, omittingEmptySubsequences: false)
        return patterns.count == values.count && zip(patterns, values).allSatisfy { pattern, piece in
            GlobPattern(String(decoding: pattern, as: UTF8.self)).matches(String(decoding: piece, as: UTF8.self))
        }
    }

    /// Whether `value` matches the whole pattern, byte for byte (never by Unicode equivalence:
    /// a Kelvin sign is not a `K` here).
    public func matches(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard pieces.count > 1 else { return bytes == pieces[0] }
        guard bytes.starts(with: pieces[0]) else { return false }
        var start = pieces[0].count
        let last = pieces[pieces.count - 1]
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = bytes[start...].firstRange(of: piece) else { return false }
            start = range.upperBound
        }
        return bytes.count - start >= last.count && bytes.suffix(last.count).elementsEqual(last)
    }
}
