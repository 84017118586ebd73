/// Text from a registry, packument, lockfile or bundle made safe to print on a terminal.
public enum TerminalText {
    /// `text` with C0 controls (newline and tab included), DEL, C1 controls and the Unicode
    /// bidirectional overrides written out as `\u{1B}`, so no escape sequence, line break or
    /// reordering from untrusted data reaches the terminal. Backslashes are left as they are.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        // Appended to a String: a scalar view's append(contentsOf:) copied the whole text each time
        // (found by review: an error quoting a 4 MB lockfile took 30 s to escape).
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// JSON text with DEL, C1 controls and bidirectional overrides written as `\u009b`-style escapes.
    /// JSON encoders escape only C0; these non-ASCII scalars can only occur inside strings, so the
    /// document means the same. Structural whitespace (newlines, indentation) is left alone.
    public static func jsonEscaped(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x7F && needsEscape($0) }) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x7F, needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // LRM/RLM, embeddings, overrides, isolates
        default: false
        }
    }
}
