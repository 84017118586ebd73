// MARK: - Prerelease identifiers

/// One dot-separated identifier of a prerelease (`beta`, `1` in `1.0.0-beta.1`).
///
/// Numeric identifiers compare numerically and sort before alphanumeric ones (semver 2.0,
/// §11). As in node-semver, an all-digit identifier is stored as a number only below
/// `Number.MAX_SAFE_INTEGER`; larger ones keep their text (`.alphanumeric`) but still compare
/// as (double-precision) numbers, which is what node does.
public enum PrereleaseIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// An all-digit identifier below 2^53 - 1 (`1` in `rc.1`).
    case numeric(UInt64)
    /// Any other identifier (`rc`, `0a`, `x-y`), or an all-digit one too large for `numeric`.
    case alphanumeric(String)

    /// Parses one identifier already known to match the grammar.
    init(_ text: String) {
        if !text.isEmpty, text.unicodeScalars.allSatisfy(\.isASCIIDigit),
           let value = JSNumber.safeValue(text.unicodeScalars), value < JSNumber.maxSafeInteger {
            self = .numeric(value)
        } else {
            self = .alphanumeric(text)
        }
    }

    public var description: String {
        switch self {
        case .numeric(let value): String(value)
        case .alphanumeric(let text): text
        }
    }

    // MARK: Comparison

    /// The value JavaScript's `+id` gives an all-digit identifier.
    var numericValue: Double? {
        switch self {
        case .numeric(let value):
            return Double(value)
        case .alphanumeric(let text):
            guard !text.isEmpty, text.unicodeScalars.allSatisfy(\.isASCIIDigit) else { return nil }
            return Double(text)
        }
    }

    /// node-semver's `compareIdentifiers`: numbers before text, numbers by value, text by
    /// code units. Returns -1, 0 or 1.
    static func compare(_ a: PrereleaseIdentifier, _ b: PrereleaseIdentifier) -> Int {
        switch (a.numericValue, b.numericValue) {
        case let (x?, y?):
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.some, nil):
            return -1
        case (nil, .some):
            return 1
        case (nil, nil):
            let x = a.description, y = b.description
            if x == y { return 0 }
            return x.utf16.lexicographicallyPrecedes(y.utf16) ? -1 : 1
        }
    }
}
