// MARK: - JavaScript string semantics

/// The handful of JavaScript string operations node-semver's behaviour is defined in terms of:
/// `trim()`, `split(/\s+/)`, `split(' ')` and `split('||')`.
///
/// JavaScript's `\s` and `trim()` use the same character set (WhiteSpace plus LineTerminator),
/// which differs from Swift's `Character.isWhitespace` (for example U+0085 and U+FEFF), so the
/// set is spelled out here. All matching in this module is done on Unicode scalars.
enum JSText {
    /// True for the characters JavaScript's `\s` matches.
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    static func scalars(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.utf8.count)
        result.append(contentsOf: text.unicodeScalars)
        return result
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.isASCII {
                utf8.append(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                utf8.append(contentsOf: String(scalar).utf8)
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func string(_ scalars: [Unicode.Scalar]) -> String { string(scalars[...]) }

    /// `String.prototype.trim`.
    static func trimmed(_ text: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        guard let first = text.firstIndex(where: { !isWhitespace($0) }),
              let last = text.lastIndex(where: { !isWhitespace($0) }) else { return [] }
        return text[first...last]
    }

    static func trimmed(_ text: String) -> String {
        let view = text.unicodeScalars
        guard let first = view.first, let last = view.last,
              isWhitespace(first) || isWhitespace(last) else { return text }
        return string(trimmed(scalars(text)[...]))
    }

    /// `text.split(/\s+/)`: runs of whitespace separate pieces, and leading or trailing
    /// whitespace yields an empty first or last piece, exactly as in JavaScript.
    static func splitOnWhitespace(_ text: String) -> [String] {
        guard text.unicodeScalars.contains(where: isWhitespace) else { return [text] }
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var inRun = false
        for c in text.unicodeScalars {
            if isWhitespace(c) {
                if !inRun { pieces.append(String(current)); current = String.UnicodeScalarView() }
                inRun = true
            } else {
                inRun = false
                current.append(c)
            }
        }
        pieces.append(String(current))
        return pieces
    }

    /// `text.trim().split(/\s+/).join(' ')`: the normal form node-semver gives every range.
    static func collapsingWhitespace(_ text: String) -> String {
        let trimmedText = trimmed(text)
        guard !trimmedText.isEmpty else { return "" }
        return splitOnWhitespace(trimmedText).joined(separator: " ")
    }

    /// `text.split(separator)` for a literal separator: non-overlapping, left to right, keeping
    /// empty pieces.
    static func split(_ text: String, separator: String) -> [String] {
        let source = scalars(text)
        let sep = scalars(separator)
        var pieces: [String] = []
        var start = 0
        var i = 0
        while i + sep.count <= source.count {
            if source[i..<(i + sep.count)].elementsEqual(sep) {
                pieces.append(string(source[start..<i]))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(string(source[start...]))
        return pieces
    }
}

// MARK: - Character classes of the semver grammar

extension Unicode.Scalar {
    /// `[0-9]`.
    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }

    /// `[a-zA-Z-]`: a character that makes an identifier non-numeric.
    var isIdentifierLetter: Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || self == "-"
    }

    /// `[a-zA-Z0-9-]`: any character of a prerelease or build identifier.
    var isIdentifierCharacter: Bool { isASCIIDigit || isIdentifierLetter }

    /// `x`, `X` or `*`: a wildcard version part.
    var isWildcard: Bool { self == "x" || self == "X" || self == "*" }

    /// `[v=\s]`: the characters node-semver tolerates in front of a version in ranges.
    var isVersionPrefix: Bool { self == "v" || self == "=" || JSText.isWhitespace(self) }
}
