import Synchronization

/// Text from a registry, packument, lockfile or bundle made safe to print on a terminal.
public enum TerminalText {
    /// `text` with C0 controls (newline and tab included), DEL, C1 controls and the Unicode
    /// bidirectional overrides written out as `\u{1B}`, so no escape sequence, line break or
    /// reordering from untrusted data reaches the terminal. Backslashes are left as they are.
    public static func escaped(_ text: String) -> String {
        let text = redactingCredentials(text)
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
        let json = redactingCredentials(json)
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

    /// `text` with the password in every URL's user info written as `***` (`http://user:***@host/`),
    /// and user info without one (which may be a token) as `***`, as npm prints such a registry
    /// (found by review: a password in `registry=` was printed in the summary, the JSON report and
    /// error messages). A URL starts after `:/` (one slash is enough for WHATWG); its authority ends
    /// at `/`, `?`, `#`, white space or a `"` that is not JSON-escaped, and the last `@` in it ends
    /// the user info (found by a re-attack: a password holding `'`, `"` or `<` was printed).
    public static func redactingCredentials(_ text: String) -> String {
        guard text.contains(":/"), text.contains("@") else { return text }
        var bytes = Array(text.utf8)
        func ends(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: " "),
                 UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): true
            default: false
            }
        }
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/") else { index += 1; continue }
            var start = index + 1
            while start < bytes.count, bytes[start] == UInt8(ascii: "/") { start += 1 }
            var end = start
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "\\"), end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "\"") { end += 2; continue }
                if ends(bytes[end]) { break }
                end += 1
            }
            if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")), at > start {
                // `user:***` as npm writes it; user info without a password may be a token itself.
                let kept = bytes[start..<at].firstIndex(of: UInt8(ascii: ":")).map { $0 + 1 } ?? start
                bytes.replaceSubrange(kept..<at, with: Array("***".utf8))
                index = kept + 3
            } else {
                index = max(end, index + 1)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Secrets the configuration holds (tokens, passwords, proxy passwords), blanked by a command's
    /// output layer: libcurl quotes an address it cannot parse in its error text, password and all,
    /// in forms no URL pattern recognises (found by review).
    private static let secrets = Mutex<[String]>([])

    /// Adds `secret` to what every printed text has replaced by `***` (texts under 4 bytes are
    /// ignored: they would blank out ordinary words).
    public static func registerSecret(_ secret: String) {
        guard secret.utf8.count >= 4 else { return }
        secrets.withLock { if !$0.contains(secret) { $0.append(secret) } }
    }

    /// `text` with every registered secret written as `***`.
    public static func withoutSecrets(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var text = text
        for secret in known.sorted(by: { $0.utf8.count > $1.utf8.count }) where text.contains(secret) {
            text = text.replacing(secret, with: "***")
        }
        return text
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // LRM/RLM, embeddings, overrides, isolates
        default: false
        }
    }
}
