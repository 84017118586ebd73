import FoundationEssentials
import SafeJSON

/// The top-level settings of an ini text exactly as npm's `ini` package (`decode`) reads `.npmrc`,
/// which pnpm reads too: lines split on `\r` and `\n`; `;` and `#` comment lines; a `[section]`
/// line (nothing but white space after `]`) starts a section, whose keys are not top-level;
/// `key = value`, or a bare `key` that means `true`. Keys and values are trimmed as JavaScript
/// trims, a quoted one is unquoted as `JSON.parse` reads it, and an unquoted one ends at the first
/// unescaped `;` or `#`. Everything is compared by scalar, as JavaScript compares code units:
/// a Character-wise reader sees other keys than npm does (`[\u{301}x]` is a section to npm).
public enum IniText {
    /// The top-level `(key, value)` pairs in order (a later pair wins, as in npm); `key[]` lines,
    /// which ini reads as arrays, are left out unless `key` is one of `lists`. A value that is not
    /// a string in JavaScript (`true`, a number from `'12'`) is given as its text.
    ///
    /// A key of `lists` is given once, its values joined by a blank line (as npm passes a list
    /// through the environment), as ini builds the array: `key[]` makes the value a list, and
    /// from then on every `key` or `key[]` line adds to it; before that, `key` replaces.
    public static func topLevel(_ text: String, lists: Set<String> = []) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        var listed: [String: (index: Int, values: [String])] = [:]
        var inSection = false
        for rawLine in text.utf8.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            let line = Array(String(decoding: rawLine, as: UTF8.self).unicodeScalars)
            let content = line.drop(while: TextTrimming.isJavaScriptWhitespace)
            if content.isEmpty || content.first == ";" || content.first == "#" { continue }
            if isSectionHeader(line) {
                inSection = true
                continue
            }
            guard !inSection, let (raw, value) = keyAndValue(line) else { continue }
            let isArray = raw.unicodeScalars.count > 2 && raw.hasByteSuffix("[]")
            let key = isArray ? String(decoding: raw.utf8.dropLast(2), as: UTF8.self) : raw
            if lists.contains(key), isArray || listed[key] != nil {
                if listed[key] == nil {
                    let earlier = pairs.lastIndex { $0.key.utf8.elementsEqual(key.utf8) }
                    listed[key] = (earlier ?? pairs.count, earlier.map { [pairs[$0].value] } ?? [])
                    if earlier == nil { pairs.append((key, "")) }
                }
                listed[key]!.values.append(value)
            } else if !isArray {
                pairs.append((key, value))
            }
        }
        for (_, list) in listed { pairs[list.index].value = list.values.joined(separator: "\n\n") }
        return pairs
    }

    /// `^\[([^\]]*)\]\s*$`: `[`, no `]` until the first `]`, then only white space.
    static func isSectionHeader(_ line: [Unicode.Scalar]) -> Bool {
        guard line.first == "[", let close = line.dropFirst().firstIndex(of: "]") else { return false }
        return line[(close + 1)...].allSatisfy(TextTrimming.isJavaScriptWhitespace)
    }

    /// `^([^=]+)(=(.*))?$`, where `.` stops at a line terminator (so a value holding U+2028 or
    /// U+2029 makes the line match nothing): the unsafe()-decoded key and value.
    static func keyAndValue(_ line: [Unicode.Scalar]) -> (String, String)? {
        guard let equals = line.firstIndex(of: "=") else {
            return line.isEmpty ? nil : (unquoted(line[...]), "true")
        }
        guard equals > 0, !line[(equals + 1)...].contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) else { return nil }
        return (unquoted(line[..<equals]), unquoted(line[(equals + 1)...]))
    }

    /// ini's `unsafe`: trimmed; a quoted text is unquoted (`'…'` loses its quotes first) and read
    /// with `JSON.parse` when it parses; otherwise it ends at the first unescaped `;` or `#`, and
    /// `\;`, `\#` and `\\` are unescaped.
    static func unquoted(_ raw: ArraySlice<Unicode.Scalar>) -> String {
        let text = String(String.UnicodeScalarView(raw)).trimmingJavaScriptWhitespace()
        let scalars = Array(text.unicodeScalars)
        let quoted = scalars.count >= 1 && ((scalars.first == "\"" && scalars.last == "\"") || (scalars.first == "'" && scalars.last == "'"))
        if quoted {
            let inner = scalars.first == "'" ? String(String.UnicodeScalarView(scalars.dropFirst().dropLast())) : text
            guard let parsed = try? JSONValue.parse(Data(inner.utf8)) else { return inner }
            return parsed.stringValue ?? inner
        }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in scalars {
            if escaped {
                if scalar != "\\", scalar != ";", scalar != "#" { out.append("\\") }
                out.append(scalar)
                escaped = false
            } else if scalar == ";" || scalar == "#" {
                break
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        if escaped { out.append("\\") }
        return String(out).trimmingJavaScriptWhitespace()
    }
}
