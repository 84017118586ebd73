public import Foundation
public import SafeJSON

/// The OLPC-style canonical JSON that TUF signs (`@tufjs/canonical-json`, PROTOCOLS §8.2):
/// object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace,
/// strings escaping only `\` and `"` (newlines in PEM keys stay raw), integers only.
public enum TUFCanonicalJSON {
    /// A value canonical JSON cannot carry (a float, or an integer beyond 2^53).
    public struct NotCanonical: Error, CustomStringConvertible {
        public let path: String
        public let found: Double
        public var description: String {
            "canonical JSON: expected an integer at \(path), found \(found) (TUF metadata may hold integers only)"
        }
    }

    /// The canonical bytes of `value`; throws for non-integer numbers.
    public static func encode(_ value: JSONValue) throws -> Data {
        var out = ""
        try write(value, path: "$", into: &out)
        return Data(out.utf8)
    }

    private static func write(_ value: JSONValue, path: String, into out: inout String) throws {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            guard n.rounded() == n, abs(n) <= 9_007_199_254_740_991 else { throw NotCanonical(path: path, found: n) }
            out += String(Int64(n))
        case .string(let s): out += quote(s)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                try write(item, path: "\(path)[\(index)]", into: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (index, key) in object.keys.sorted(by: utf16Less).enumerated() {
                if index > 0 { out += "," }
                out += quote(key) + ":"
                try write(object[key]!, path: "\(path).\(key)", into: &out)
            }
            out += "}"
        }
    }

    /// A string literal escaping only backslash and double quote.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// JavaScript's `Array.prototype.sort()` order for strings: UTF-16 code units.
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }
}
