/// A bounds-checked cursor over bytes for TLS and DER structures.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8() throws -> UInt8 {
        guard offset < bytes.count else { throw SCTParseError("truncated: expected 1 more byte at offset \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - offset else {
            throw SCTParseError("truncated: expected \(count) bytes at offset \(offset), found \(bytes.count - offset)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A DER definite length (short or long form, at most 4 length bytes).
    mutating func derLength() throws -> Int {
        let first = try u8()
        if first < 0x80 { return Int(first) }
        let count = Int(first & 0x7F)
        guard count >= 1, count <= 4 else { throw SCTParseError("unsupported DER length form 0x\(String(first, radix: 16))") }
        var length = 0
        for _ in 0..<count { length = length << 8 | Int(try u8()) }
        return length
    }
}
