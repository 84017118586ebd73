/// Escaping of text for the formats the tools write (JSON string literals, XML and HTML), written
/// once: each scalar is replaced as a table says, a control scalar is handed to a rule, and every
/// other scalar is kept.
public enum TextEscaping {
    /// Escapes `text`: a scalar in `replacements` becomes its replacement; any other scalar below
    /// U+0020, U+007F, U+FFFE or U+FFFF becomes `control(scalar)` (return "" to drop it); the rest is kept.
    public static func escape(_ text: String, _ replacements: [Unicode.Scalar: String],
                              control: (Unicode.Scalar) -> String) -> String {
        // Most text (names, versions, paths, digests) is printable ASCII that nothing replaces: kept as is.
        var replaced = (low: UInt64(0), high: UInt64(0))  // ASCII scalars with a replacement, as bits
        for scalar in replacements.keys where scalar.value < 0x80 {
            if scalar.value < 64 { replaced.low |= 1 << scalar.value } else { replaced.high |= 1 << (scalar.value - 64) }
        }
        if text.utf8.allSatisfy({ byte in
            byte >= 0x20 && byte < 0x7F && (byte < 64 ? replaced.low >> byte : replaced.high >> (byte - 64)) & 1 == 0
        }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replacement = replacements[scalar] {
                out += replacement
            } else if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                out += control(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let xmlReplacements: [Unicode.Scalar: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;", "\t": "\t", "\n": "\n",
    ]

    /// XML 1.0 text and attribute content (also safe in HTML): `& < > " '` as entities; tab and
    /// newline kept; the scalars XML 1.0 forbids (other controls, U+FFFE, U+FFFF), carriage return
    /// and U+007F dropped (clients print ANSI escapes).
    public static func xml(_ text: String) -> String {
        escape(text, xmlReplacements) { _ in "" }
    }

    static let jsonReplacements: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u{08}": "\\b", "\u{0C}": "\\f",
    ]

    /// The inside of a JSON string literal with the escapes `JSON.stringify` uses: the short escapes,
    /// `\u00XX` for other controls below U+0020; U+007F, U+FFFE and U+FFFF kept as they are.
    public static func json(_ text: String) -> String {
        escape(text, jsonReplacements) { scalar in
            guard scalar.value < 0x20 else { return String(scalar) }
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
