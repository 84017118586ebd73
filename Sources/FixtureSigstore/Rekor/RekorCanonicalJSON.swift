import SafeJSON

/// RFC 8785 (JCS) serialisation of a `JSONValue`: the bytes Rekor hashes into its
/// Merkle leaves and signs in its signed entry timestamps (PROTOCOLS §6.1, §6.2, §6.4).
///
/// Keys are sorted by UTF-16 code units, there is no whitespace, and strings use the
/// minimal ECMAScript escapes. Numbers must be integers (every number Rekor signs is).
enum RekorCanonicalJSON {
    /// Canonical UTF-8 bytes of `value`.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var out = ""
        write(value, into: &out)
        return Array(out.utf8)
    }

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number):
            precondition(number.rounded() == number && abs(number) < 9.0e15, "canonical JSON here carries integers only, found \(number)")
            out += String(Int64(number))
        case .string(let text): out += OrderedJSONWriter.quote(text)  // JCS escapes exactly as JSON.stringify does
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out += "," }
                out += OrderedJSONWriter.quote(key)
                out += ":"
                write(members[key]!, into: &out)
            }
            out += "}"
        }
    }
}
