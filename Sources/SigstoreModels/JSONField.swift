public import FoundationEssentials
public import SafeJSON

/// A JSON value with the path it was found at, for strict, typed field access.
///
/// JSON `null` is treated as an absent field (npm's v0.1 responses hold explicit nulls).
public struct JSONField: Sendable {
    public let value: JSONValue
    public let path: String

    public init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// Parses bytes with the document size and depth limits; `refusingDuplicateKeys` for signed
    /// payloads, where two parsers picking different copies of a key would read different claims.
    public static func parse(_ data: Data, refusingDuplicateKeys: Bool = false) throws -> JSONField {
        guard data.count <= SigstoreLimits.maxDocumentBytes else {
            throw SigstoreModelError(path: "", "document of \(data.count) bytes exceeds the \(SigstoreLimits.maxDocumentBytes)-byte limit")
        }
        do {
            return JSONField(refusingDuplicateKeys ? try JSONValue.parseRefusingDuplicateKeys(data, maxDepth: SigstoreLimits.maxDepth)
                                                   : try JSONValue.parse(data, maxDepth: SigstoreLimits.maxDepth))
        } catch {
            throw SigstoreModelError(path: "", "expected JSON: \(error)")
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ expected: String) -> SigstoreModelError {
        SigstoreModelError(path: path, "expected \(expected), found \(Self.kind(value))")
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    // MARK: - Objects

    /// The member `key`, or nil when absent or null. Throws when self is not an object.
    public func optional(_ key: String) throws -> JSONField? {
        guard case .object(let object) = value else { throw fail("an object") }
        guard let member = object[key], member != .null else { return nil }
        return JSONField(member, path: child(key))
    }

    /// The member `key`; absent or null is an error.
    public func required(_ key: String) throws -> JSONField {
        guard let member = try optional(key) else { throw SigstoreModelError(path: child(key), "required field is missing") }
        return member
    }

    // MARK: - Scalars

    public func string() throws -> String {
        guard case .string(let s) = value else { throw fail("a string") }
        guard s.utf8.count <= SigstoreLimits.maxDecodedBytes * 2 else { throw SigstoreModelError(path: path, "string is too long") }
        return s
    }

    /// Standard base64 (with padding), decoded; invalid text is an error.
    /// Line breaks are skipped, as Go's and Node's decoders do (`base64` CLI output wraps at 76).
    public func base64() throws -> [UInt8] {
        let text = try string()
        // Bytes, not Characters: "\r\n" is one Character, and both of its bytes are skipped.
        let breaks = text.utf8.withContiguousStorageIfAvailable { $0.contains(0x0A) || $0.contains(0x0D) }
            ?? text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D })
        // Without line breaks the text is decoded in place (the same decoder, no copy of the text).
        let decoded = breaks ? Data(base64Encoded: Data(text.utf8.filter { $0 != 0x0A && $0 != 0x0D })) : Data(base64Encoded: text)
        guard let data = decoded else { throw SigstoreModelError(path: path, "expected standard base64, found invalid text") }
        guard data.count <= SigstoreLimits.maxDecodedBytes else { throw SigstoreModelError(path: path, "decoded value exceeds the size limit") }
        return [UInt8](data)
    }

    /// A protobuf int64: a decimal string or an integral JSON number; negative is an error.
    public func nonNegativeInt64() throws -> Int64 {
        let parsed: Int64?
        switch value {
        case .string(let s): parsed = s.utf8.count <= 19 && s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && !s.isEmpty ? Int64(s) : nil
        case .number(let n): parsed = (n.rounded() == n && n >= 0 && n < 9.0e15) ? Int64(n) : nil
        default: throw fail("a non-negative integer (string or number)")
        }
        guard let parsed else { throw SigstoreModelError(path: path, "expected a non-negative 64-bit integer") }
        return parsed
    }

    /// An array, each element with its indexed path; bounded by `SigstoreLimits.maxArrayCount`.
    public func array() throws -> [JSONField] {
        guard case .array(let items) = value else { throw fail("an array") }
        guard items.count <= SigstoreLimits.maxArrayCount else {
            throw SigstoreModelError(path: path, "array of \(items.count) elements exceeds the limit of \(SigstoreLimits.maxArrayCount)")
        }
        return items.enumerated().map { JSONField($0.element, path: "\(path)[\($0.offset)]") }
    }

    /// An RFC 3339 timestamp (fractional seconds optional).
    public func date() throws -> Date {
        let text = try string()
        if let date = InternetDateTime.parse(text) { return date }
        throw SigstoreModelError(path: path, "expected an RFC 3339 timestamp, found \"\(text.prefix(40))\"")
    }
}
