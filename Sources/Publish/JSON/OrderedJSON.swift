public import SafeJSON

/// A JSON value whose object keys keep the order they were written in, rendered compactly
/// the way `JSON.stringify(value)` renders it: no whitespace, keys in insertion order.
///
/// npm and sigstore-js build their documents (the provenance statement, the bundle, Rekor
/// proposals) as JavaScript object literals, so their bytes depend on key order; this type
/// lets us produce the same bytes.
public indirect enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// Wraps a parsed `JSONValue` (object keys sorted, since `JSONValue` keeps no order).
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n) where n.rounded() == n && abs(n) < 1e15: self = .int(Int64(n))
        case .number(let n): self = .string(String(n))  // not reached by our documents
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(OrderedJSON.init))
        case .object(let object): self = .object(object.keys.sorted().map { ($0, OrderedJSON(object[$0]!)) })
        }
    }

    /// The compact text, as `JSON.stringify` would print it.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// The compact text as UTF-8 bytes.
    public var bytes: [UInt8] { Array(text.utf8) }

    /// The value under `key` of an object (first match), for tests and callers that inspect.
    public subscript(key: String) -> OrderedJSON? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .string(let s): out += OrderedJSONWriter.quote(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += "," }
                out += OrderedJSONWriter.quote(pair.0) + ":"
                pair.1.write(into: &out)
            }
            out += "}"
        }
    }

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.text == b.text }
}
