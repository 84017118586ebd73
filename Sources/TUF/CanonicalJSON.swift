public import SafeJSON

/// OLPC canonical JSON as securesystemslib writes it (the bytes TUF signatures cover):
/// keys sorted by code point, no whitespace, strings escape only `"` and `\` and are
/// otherwise raw UTF-8, numbers must be integers.
public enum CanonicalJSON {
    /// A value with no canonical form (a fraction, or an integer beyond 2^53).
    public struct Unrepresentable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "not canonical JSON: \(reason)" }
    }

    /// The canonical bytes of `value`.
    public static func encode(_ value: JSONValue) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try write(value, into: &out)
        return out
    }

    private static let maxExactInteger = 9_007_199_254_740_992.0  // 2^53

    private static func write(_ value: JSONValue, into out: inout [UInt8]) throws {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let n):
            guard n.isFinite, n.rounded() == n, abs(n) <= maxExactInteger else {
                throw Unrepresentable(reason: "number \(n) is not an integer within ±2^53")
            }
            out += Array(String(Int64(n)).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            // UTF-8 byte order is code point order, which is how Python sorts str keys.
            let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            out.append(UInt8(ascii: "{"))
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(object[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
