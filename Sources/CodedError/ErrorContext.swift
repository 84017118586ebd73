/// The key-values a failure concerns (`package`, `version`, `url`, `file`, `entry`...), in order.
public struct ErrorContext: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One key and its value.
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: String
    }

    /// The entries in the order given.
    public private(set) var entries: [Entry]

    /// No entries.
    public init() { entries = [] }

    /// The given entries; `nil` values are left out.
    public init(_ pairs: [(String, String?)]) {
        entries = pairs.compactMap { key, value in value.map { Entry(key: key, value: $0) } }
    }

    public init(dictionaryLiteral elements: (String, String?)...) { self.init(elements) }

    /// The value recorded for `key`, if any.
    public subscript(key: String) -> String? { entries.first { $0.key == key }?.value }

    /// Whether nothing is recorded.
    public var isEmpty: Bool { entries.isEmpty }

    /// `key=value` pairs separated by spaces.
    public var description: String { entries.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
}
