import FoundationEssentials

/// A strict RFC 8259 parser straight into `JSONValue`, the nesting limit enforced while parsing (hostile
/// packuments must not exhaust the stack); much faster than `JSONDecoder` on documents of megabytes.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int, reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    /// Refuse an object that names a key twice, instead of keeping the last (JSON.parse's rule).
    var refuseDuplicateKeys = false
    /// Read as `JSON.parse` does where strict reading refuses: a lone surrogate escape is U+FFFD, 1e400 infinite.
    var likeJSONParse = false
    /// The offset of the byte being read.
    var index = 0
    /// Values the document may still hold: parsed, tiny values take 28 times their bytes.
    var valuesLeft = Int.max

    static func parse(_ data: Data, maxDepth: Int, maxValues: Int = .max, refuseDuplicateKeys: Bool = false,
                      likeJSONParse: Bool = false) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
            (parser.refuseDuplicateKeys, parser.likeJSONParse) = (refuseDuplicateKeys, likeJSONParse)
            parser.valuesLeft = maxValues
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == parser.bytes.count else { throw parser.fail("trailing characters after the document") }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of document") }
        valuesLeft -= 1
        guard valuesLeft >= 0 else { throw fail("more values than this document may hold") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw JSONDepthGuard.TooDeep(limit: maxDepth) }
        index += 1
        // Members are collected first, so the dictionary is built at its final size in one go
        // (inserting one by one re-hashed it at every growth). A repeated key: the last one wins.
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return .object([:]) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw fail("expected a string key") }
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            let object = Dictionary(members, uniquingKeysWith: { _, last in last })
            if object.count != members.count { try checkRepeatedKeys(members) }
            return .object(object)
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw JSONDepthGuard.TooDeep(limit: maxDepth) }
        index += 1
        var result: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return .array(result) }
        while true {
            skipWhitespace()
            result.append(try value(depth: depth))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            try expect(UInt8(ascii: "]"))
            return .array(result)
        }
    }

    // MARK: - Scalars

    private mutating func string() throws -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes, eight bytes at a time; `seen`'s high bits tell whether the run was ASCII.
        var seen: UInt64 = 0
        while index < bytes.count {
            if index + 8 <= bytes.count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if !Self.mayStop(word) { seen |= word; index += 8; continue }
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail("control character in string") }
            seen |= UInt64(byte)
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            // No escape: validate and copy straight from the document, without a byte array between.
            let end = index
            index += 1
            guard let text = Self.text(UnsafeBufferPointer(rebasing: bytes[start..<end]), ascii: Self.isASCII(seen)) else {
                throw fail("string is not valid UTF-8")
            }
            return text
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                try appendEscape(bytes[index], to: &out)
            } else {
                guard byte >= 0x20 else { throw fail("control character in string") }
                out.append(byte)
            }
            index += 1
            guard index < bytes.count else { throw fail("unterminated string") }
        }
        index += 1
        guard let text = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return text
    }

    private mutating func number() throws -> Double {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard try digits(allowLeadingZero: false) else { throw fail("expected a value") }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard try digits(allowLeadingZero: true) else { throw fail("expected digits after '.'") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard try digits(allowLeadingZero: true) else { throw fail("expected exponent digits") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // `Double("1e400")` is infinity, not nil: refuse it here so no caller sees a non-finite number.
        guard let value = Double(text), value.isFinite || likeJSONParse else { throw fail("number \(text.prefix(40)) is out of range") }
        return value
    }

    private mutating func digits(allowLeadingZero: Bool) throws -> Bool {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        if !allowLeadingZero, index - start > 1, bytes[start] == UInt8(ascii: "0") { throw fail("leading zero in number") }
        return index > start
    }

    // MARK: - Helpers

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of document") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("unexpected character")
        }
        index += count
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek(byte) else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }
}
