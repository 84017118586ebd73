public import FoundationEssentials

/// Writes a `JSONValue` as compact JSON with keys sorted by their UTF-8 bytes, byte for byte what
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` produces for the same tree (a
/// differential test holds it to that), at a fraction of the cost: no `Encoder` containers, no
/// boxing, one output buffer. The fixture registry serialises every response with it.
public struct CompactJSONWriter {
    /// A number JSON cannot carry (NaN or an infinity); `JSONEncoder` refuses those too.
    public struct NonFiniteNumber: Error, CustomStringConvertible {
        public let value: Double
        public var description: String { "JSON cannot carry the number \(value)" }
    }

    private var out: [UInt8] = []

    /// The compact JSON text of `value`.
    public static func data(_ value: JSONValue) throws(NonFiniteNumber) -> Data {
        var writer = CompactJSONWriter()
        try writer.write(value)
        return Data(writer.out)
    }

    private mutating func write(_ value: JSONValue) throws(NonFiniteNumber) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): try writeNumber(n)
        case .string(let s): writeString(s)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(item)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key)
                out.append(UInt8(ascii: ":"))
                try write(object[key]!)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Integral values below 1e15 as integers (as `JSONValue.encode(to:)` does); the rest as Swift's
    /// shortest round-trip form without a trailing `.0`, which is how `JSONEncoder` writes a Double.
    private mutating func writeNumber(_ n: Double) throws(NonFiniteNumber) {
        guard n.isFinite else { throw NonFiniteNumber(value: n) }
        if n.rounded() == n, abs(n) < 1e15 {
            out.append(contentsOf: String(Int64(n)).utf8)
            return
        }
        let text = n.description
        out.append(contentsOf: (text.hasSuffix(".0") ? text.dropLast(2) : Substring(text)).utf8)
    }

    /// A string literal: `"` and `\` escaped, the short escapes for \b \f \n \r \t, `\u00xx` for the
    /// other controls below U+0020; every other byte (slashes, U+007F, non-ASCII) copied as is.
    private mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                out.append(contentsOf: bytes[runStart..<index])
                appendEscape(byte)
                runStart = index + 1
            }
            out.append(contentsOf: bytes[runStart...])
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C: out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let digits = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
    }
}
