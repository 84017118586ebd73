extension JSONParser {
    /// Whether any byte of `word` is a quote, a backslash or a control character (below 0x20):
    /// the exact zero-byte and less-than tests of "Bit Twiddling Hacks", so no such byte is missed.
    @inline(__always)
    static func mayStop(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote, zeroInBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroInQuote | zeroInBackslash | control) & 0x8080_8080_8080_8080 != 0
    }

    /// Whether no byte OR-ed into `seen` had its high bit set.
    @inline(__always)
    static func isASCII(_ seen: UInt64) -> Bool { seen & 0x8080_8080_8080_8080 == 0 }

    /// The string of `bytes`, nil when they are not valid UTF-8. ASCII (checked by the caller)
    /// is valid by definition and is copied without a second validation pass.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
        ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}
