/// Writes JSON with the key order the caller chooses and two-space indentation,
/// the way `JSON.stringify(value, null, 2)` lays out npm's files.
public struct OrderedJSONWriter {
    /// A JSON value whose object keys keep their order.
    public indirect enum Node {
        case value(JSONValue)
        case object([(String, Node)])
    }

    public init() {}

    public func render(_ node: Node) -> String {
        var out = ""
        write(node, indent: 0, into: &out)
        out += "\n"
        return out
    }

    private func write(_ node: Node, indent: Int, into out: inout String) {
        switch node {
        case .value(let value): write(value, indent: indent, into: &out)
        case .object(let pairs):
            writeObject(pairs.map { key, child in (key, { (o: inout String, i: Int) in self.write(child, indent: i, into: &o) }) },
                        indent: indent, into: &out)
        }
    }

    private func write(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += (n.rounded() == n && abs(n) < 1e15) ? String(Int64(n)) : String(n)
        case .string(let s): out += Self.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                write(item, indent: indent + 1, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let object):
            let pairs = object.keys.sorted().map { key in (key, { (o: inout String, i: Int) in self.write(object[key]!, indent: i, into: &o) }) }
            writeObject(pairs, indent: indent, into: &out)
        }
    }

    private func writeObject(_ pairs: [(String, (inout String, Int) -> Void)], indent: Int, into out: inout String) {
        if pairs.isEmpty { out += "{}"; return }
        out += "{\n"
        for (i, pair) in pairs.enumerated() {
            out += String(repeating: "  ", count: indent + 1) + Self.quote(pair.0) + ": "
            pair.1(&out, indent + 1)
            out += i == pairs.count - 1 ? "\n" : ",\n"
        }
        out += String(repeating: "  ", count: indent) + "}"
    }

    /// A JSON string literal with the escapes JSON.stringify uses.
    public static func quote(_ s: String) -> String {
        "\"" + TextEscaping.json(s) + "\""
    }
}
