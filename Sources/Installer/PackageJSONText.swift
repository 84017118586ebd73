import FoundationEssentials
import NpmModel
import SafeJSON

/// Saves dependency specs into package.json text the way `npm install <spec>` does: the file keeps
/// its own indentation, key order, line ending and trailing newline; the edited dependency map is
/// sorted by name, and a missing map is appended as the last key. Only that map's text changes.
enum PackageJSONText {
    /// `text` with `section[name] = spec` applied for every edit; nil when the text is not a JSON object,
    /// or when the spliced text would not parse to exactly the original object with those edits (the
    /// caller then writes the whole object instead): no scan of odd text may drop or shadow a key.
    static func saving(_ edits: [(section: String, name: String, spec: String)], into text: String) -> String? {
        guard let spliced = splice(edits, into: text),
              case .object(var expected)? = try? JSONValue.parse(Data(text.utf8)),
              case .object(let found)? = try? JSONValue.parse(Data(spliced.utf8)) else { return nil }
        for section in Set(edits.map(\.section)) {
            var map = expected[section]?.stringMap ?? [:]
            for edit in edits where edit.section == section { map[edit.name] = edit.spec }
            expected[section] = .object(map.mapValues { .string($0) })
        }
        return expected == found ? spliced : nil
    }

    /// The edits spliced into the text of the maps they change.
    private static func splice(_ edits: [(section: String, name: String, spec: String)], into text: String) -> String? {
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
/// indentation unit and line ending, found by a scan that skips strings and nested values. The scan
/// reads UTF-8 bytes: every structural character is ASCII, and a Character would merge a quote
/// with the scalars around it (a prepended U+0600 hides the `"` it precedes).
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
        let bytes = Array(text.utf8)
        func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }
        var i = 0
        func skipSpace() { while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 } }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var afterLast = i
        var firstKeyStart: Int?
        while true {
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "}") { break }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            guard bytes[i] == UInt8(ascii: "\""), let keyEnd = Self.endOfString(bytes, from: i) else { return nil }
            if firstKeyStart == nil { firstKeyStart = i }
            guard let key = (try? JSONValue.parse(Data(bytes[i..<keyEnd])))?.stringValue else { return nil }
            i = keyEnd
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard let end = Self.endOfValue(bytes, from: i) else { return nil }
            members.append((key, index(i)..<index(end)))
            afterLast = end
            i = end
        }
        insertionPoint = index(afterLast)
        newline = text.contains("\r\n") ? "\r\n" : "\n"
        if let firstKeyStart {
            let lineStart = bytes[..<firstKeyStart].lastIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.map { $0 + 1 } ?? 0
            let prefix = bytes[lineStart..<firstKeyStart]
            indent = !prefix.isEmpty && prefix.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                ? String(decoding: prefix, as: UTF8.self) : "  "
        } else {
            indent = "  "
        }
    }

    func valueRange(of key: String) -> Range<String.Index>? { members.last { $0.key == key }?.value }

    func value(of key: String) -> Substring? { valueRange(of: key).map { text[$0] } }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// Offset just past the closing quote of the string starting at `start`.
    static func endOfString(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// Offset just past the value starting at `start` (a string, a nested object or array, or a scalar).
    static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        if bytes[start] == UInt8(ascii: "\"") { return endOfString(bytes, from: start) }
        var depth = 0, i = start
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { guard let end = endOfString(bytes, from: i) else { return nil }; i = end; continue }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0 { return i }
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            if depth == 0, c == UInt8(ascii: ",") || isSpace(c) { return i }
            i += 1
        }
        return depth == 0 ? i : nil
    }
}
