import FoundationEssentials
import NpmModel
import SafeJSON

/// Saves dependency specs into package.json text the way `npm install <spec>` does: the file keeps
/// its own indentation, key order, line ending and trailing newline; the edited dependency map is
/// sorted by name, and a missing map is appended as the last key. Only that map's text changes.
enum PackageJSONText {
    /// `text` with `section[name] = spec` applied for every edit; nil when the text is not a JSON object.
    static func saving(_ edits: [(section: String, name: String, spec: String)], into text: String) -> String? {
        var result = text
        for section in Set(edits.map(\.section)).sorted() {
            let updates = edits.filter { $0.section == section }
            guard let members = TopLevelMembers(result) else { return nil }
            var map = members.value(of: section).flatMap { try? JSONValue.parse(Data($0.utf8)) }?.stringMap ?? [:]
            for edit in updates { map[edit.name] = edit.spec }
            let rendered = render(map, indent: members.indent, newline: members.newline)
            if let range = members.valueRange(of: section) {
                result.replaceSubrange(range, with: rendered)
            } else {
                let separator = members.isEmpty ? "" : ","
                result.insert(contentsOf: "\(separator)\(members.newline)\(members.indent)\(quote(section)): \(rendered)\(members.isEmpty ? members.newline : "")",
                              at: members.insertionPoint)
            }
        }
        return result
    }

    /// A flat string map at nesting level 1, as `JSON.stringify(pkg, null, indent)` lays it out.
    static func render(_ map: [String: String], indent: String, newline: String) -> String {
        guard !map.isEmpty else { return "{}" }
        let lines = map.keys.sorted().map { "\(indent)\(indent)\(quote($0)): \(quote(map[$0]!))" }
        return "{" + newline + lines.joined(separator: "," + newline) + newline + indent + "}"
    }

    static func quote(_ text: String) -> String { OrderedJSONWriter.quote(text) }
}

/// The top-level members of a JSON object text: each key with its value's range, the object's
/// indentation unit and line ending, found by a scan that skips strings and nested values.
struct TopLevelMembers {
    private var members: [(key: String, value: Range<String.Index>)] = []
    private let text: String
    let indent: String
    let newline: String
    /// Just after the last member's value (or after `{` when there is none).
    let insertionPoint: String.Index
    var isEmpty: Bool { members.isEmpty }

    init?(_ text: String) {
        self.text = text
        let chars = Array(text.indices)
        var i = 0
        func skipSpace() { while i < chars.count, text[chars[i]].isWhitespace { i += 1 } }
        skipSpace()
        guard i < chars.count, text[chars[i]] == "{" else { return nil }
        i += 1
        var afterLast = chars.count > i ? chars[i] : text.endIndex
        var firstKeyStart: String.Index?
        while true {
            skipSpace()
            guard i < chars.count else { return nil }
            if text[chars[i]] == "}" { break }
            if text[chars[i]] == "," { i += 1; continue }
            guard text[chars[i]] == "\"", let keyEnd = Self.endOfString(text, chars, from: i) else { return nil }
            if firstKeyStart == nil { firstKeyStart = chars[i] }
            let keyText = String(text[chars[i]..<(keyEnd < chars.count ? chars[keyEnd] : text.endIndex)])
            guard let key = (try? JSONValue.parse(Data(keyText.utf8)))?.stringValue else { return nil }
            i = keyEnd
            skipSpace()
            guard i < chars.count, text[chars[i]] == ":" else { return nil }
            i += 1
            skipSpace()
            let start = i
            guard let end = Self.endOfValue(text, chars, from: i) else { return nil }
            let upper = end < chars.count ? chars[end] : text.endIndex
            members.append((key, chars[start]..<upper))
            afterLast = upper
            i = end
        }
        insertionPoint = afterLast
        newline = text.contains("\r\n") ? "\r\n" : "\n"
        if let firstKeyStart {
            let lineStart = text[..<firstKeyStart].lastIndex { $0 == "\n" || $0 == "\r\n" }.map { text.index(after: $0) } ?? text.startIndex
            let prefix = text[lineStart..<firstKeyStart]
            indent = !prefix.isEmpty && prefix.allSatisfy({ $0 == " " || $0 == "\t" }) ? String(prefix) : "  "
        } else {
            indent = "  "
        }
    }

    func valueRange(of key: String) -> Range<String.Index>? { members.last { $0.key == key }?.value }

    func value(of key: String) -> Substring? { valueRange(of: key).map { text[$0] } }

    /// Index just past the closing quote of the string starting at `start`.
    static func endOfString(_ text: String, _ chars: [String.Index], from start: Int) -> Int? {
        var i = start + 1
        while i < chars.count {
            switch text[chars[i]] {
            case "\\": i += 2
            case "\"": return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// Index just past the value starting at `start` (a string, a nested object or array, or a scalar).
    static func endOfValue(_ text: String, _ chars: [String.Index], from start: Int) -> Int? {
        guard start < chars.count else { return nil }
        if text[chars[start]] == "\"" { return endOfString(text, chars, from: start) }
        var depth = 0, i = start
        while i < chars.count {
            let c = text[chars[i]]
            if c == "\"" { guard let end = endOfString(text, chars, from: i) else { return nil }; i = end; continue }
            if c == "{" || c == "[" { depth += 1 }
            if c == "}" || c == "]" {
                if depth == 0 { return i }
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            if depth == 0, c == "," || c.isWhitespace { return i }
            i += 1
        }
        return depth == 0 ? i : nil
    }
}
