public import FoundationEssentials

/// A JSON document kept as a tree, so that manifests and packuments round-trip
/// every field we do not model (npm adds fields over time; we must not drop them).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    // MARK: - Accessors

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The number as an `Int` when it is integral and within `range`; nil for anything else
    /// (`1e300`, `-1`, `1.5`, a string), so hostile documents never trap a conversion.
    public func integer(in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard case .number(let n) = self, n.isFinite, let value = Int(exactly: n), range.contains(value) else { return nil }
        return value
    }

    /// A short rendering for error messages: `1e+300`, `-1`, `"text"` (first 40 characters), `an object`.
    public var briefDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.isFinite && n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): "\"" + String(s.prefix(40)) + (s.count > 40 ? "…" : "") + "\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// A string-to-string map such as `dependencies`; non-string values are dropped.
    public var stringMap: [String: String] {
        guard let object = objectValue else { return [:] }
        return object.compactMapValues { $0.stringValue }
    }
}

// MARK: - Codable

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 1e15 { try container.encode(Int64(n)) } else { try container.encode(n) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(nilLiteral: ()) { self = .null }
}

// MARK: - Bytes

extension JSONValue {
    /// Parses JSON bytes, refusing documents nested deeper than `maxDepth` (hostile packuments
    /// must not exhaust the stack) or holding more than `maxValues` values (nor memory).
    public static func parse(_ data: Data, maxDepth: Int = 64, maxValues: Int = .max) throws -> JSONValue {
        try JSONParser.parse(data, maxDepth: maxDepth, maxValues: maxValues)
    }

    /// As `parse`, but an object that names a key twice is an error: for formats whose readers
    /// disagree on which of the two wins (JSON.parse keeps the last, others the first).
    public static func parseRefusingDuplicateKeys(_ data: Data, maxDepth: Int = 64, maxValues: Int = .max) throws -> JSONValue {
        try JSONParser.parse(data, maxDepth: maxDepth, maxValues: maxValues, refuseDuplicateKeys: true)
    }

    /// As `parse`, but reading what `JSON.parse` reads and strict parsing refuses: a lone surrogate
    /// escape becomes U+FFFD and an out-of-range number is infinite. For files npm itself reads
    /// (an installed package.json), whose meaning must be npm's, not refused.
    public static func parseLikeJSONParse(_ data: Data, maxDepth: Int = 64) throws -> JSONValue {
        try JSONParser.parse(data, maxDepth: maxDepth, likeJSONParse: true)
    }

    /// A file as npm reads one (an installed or a project package.json): its UTF-8 byte order mark
    /// dropped, bytes that are not UTF-8 as U+FFFD (`readFile(…, 'utf8')`), then `parseLikeJSONParse`.
    public static func parseAsNpmReadsFile(_ bytes: Data, maxDepth: Int = 64) throws -> JSONValue {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return try parseLikeJSONParse(Data(String(decoding: body, as: UTF8.self).utf8), maxDepth: maxDepth)
    }

    /// Serialises with sorted keys; `pretty` adds two-space indentation like npm's files.
    /// The compact form comes from `CompactJSONWriter`, which writes the same bytes as `JSONEncoder`.
    public func serialized(pretty: Bool = false) throws -> Data {
        guard pretty else { return try CompactJSONWriter.data(self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The error for JSON nested deeper than the parser's limit.
public enum JSONDepthGuard {
    public struct TooDeep: Error, CustomStringConvertible {
        public let limit: Int
        public var description: String { "JSON document is nested deeper than \(limit) levels" }
    }
}

extension JSONValue {
    /// JavaScript truthiness, as npm tests lockfile flags (`if (meta.link)`): absent, null, false,
    /// 0 and "" are false; anything else, an empty object or list included, is true.
    public static func isTruthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: false
        case .string(let text)?: !text.isEmpty
        case .number(let number)?: number != 0 && !number.isNaN
        default: true
        }
    }
}
