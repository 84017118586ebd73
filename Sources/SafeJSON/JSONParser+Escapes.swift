// MARK: - String escapes

extension JSONParser {
    /// Appends the bytes the escape `\byte` stands for (`index` on `byte`; on the last hex digit after).
    mutating func appendEscape(_ byte: UInt8, to out: inout [UInt8]) throws {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by `\uDC00`...`\uDFFF`.
                guard index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u"),
                      let low = Self.hexValue(bytes[(index + 3)...(index + 6)]), (0xDC00..<0xE000).contains(low) else {
                    return try appendLoneSurrogate(to: &out)
                }
                index += 6
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                return try appendLoneSurrogate(to: &out)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw fail("invalid escape")
        }
    }

    /// Reads the four hex digits after `\u`, leaving `index` on the last one.
    private mutating func hex4() throws -> UInt32 {
        guard index + 4 < bytes.count, let value = Self.hexValue(bytes[(index + 1)...(index + 4)]) else {
            throw fail(index + 4 < bytes.count ? "invalid \\u escape" : "truncated \\u escape")
        }
        index += 4
        return value
    }

    /// The value of four hex digits; nil when one is not a hex digit.
    static func hexValue(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0
        for c in digits {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A surrogate escape with no partner: refused, or U+FFFD as `JSON.parse` then `readFile` would
    /// leave it (a UTF-16 string written back as UTF-8) when reading like npm.
    private func appendLoneSurrogate(to out: inout [UInt8]) throws {
        guard likeJSONParse else { throw fail("unpaired surrogate") }
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
}
