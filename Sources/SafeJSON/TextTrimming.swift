/// Trimming of white space at both ends of text, scalar by scalar, with the sets Foundation's
/// `CharacterSet.whitespaces` and `.whitespacesAndNewlines` name (so no module needs the full
/// Foundation for `trimmingCharacters(in:)`).
public enum TextTrimming {
    /// `CharacterSet.whitespaces`, scalar for scalar: U+0009, the space separators and, as
    /// Foundation still counts it, U+200B ZERO WIDTH SPACE.
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// What JavaScript's `trim()` and `\s` remove: white space, line terminators and U+FEFF.
    public static func isJavaScriptWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// `CharacterSet.newlines`: U+000A–U+000D, U+0085, U+2028 and U+2029.
    public static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        (0x0A...0x0D).contains(scalar.value) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

extension StringProtocol {
    /// The text without leading and trailing `TextTrimming.isWhitespace` scalars
    /// (Foundation's `trimmingCharacters(in: .whitespaces)`).
    public func trimmingWhitespace() -> String { trimming(TextTrimming.isWhitespace) }

    /// The text without leading and trailing white space or newlines
    /// (Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)`).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { TextTrimming.isWhitespace($0) || TextTrimming.isNewline($0) }
    }

    /// The text as JavaScript's `trim()` leaves it.
    public func trimmingJavaScriptWhitespace() -> String { trimming(TextTrimming.isJavaScriptWhitespace) }

    private func trimming(_ trimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !trimmed($0) })!
        return String(Substring(scalars[first...last]))
    }
}
