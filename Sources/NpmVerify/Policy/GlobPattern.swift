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
