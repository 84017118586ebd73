/// What Node's zlib checks in a gzip stream and libarchive's gzip filter does not, checked once the
/// stream is inflated (found by review: a flipped CRC byte, junk after the stream, or a header CRC
/// that does not match failed npm and passed here):
/// - the trailer must hold the CRC-32 and length of every inflated byte, and sit where libarchive's
///   filter stopped reading: so a tarball of one gzip member only (npm would accept more, and Node
///   also inflates a zlib stream there, which libarchive never sees: found by a re-attack, a hidden
///   member gave npm another `index.js` and an install script);
/// - only zero bytes may follow it (Node stops at a zero byte, and reads anything else as another member);
/// - a header CRC (FHCRC) must match the header.
struct GzipTrailer {
    private var crc = CRC32()
    private var inflatedCount: UInt64 = 0

    /// Takes the next inflated bytes.
    mutating func inflated(_ bytes: UnsafeRawBufferPointer) {
        crc.update(bytes)
        inflatedCount &+= UInt64(bytes.count)
    }

    /// Why `raw`, of which libarchive's gzip filter consumed `consumed` bytes, is not one gzip member
    /// of the inflated bytes followed by zeros; nil when it is.
    func refusal(raw: RawChunks, consumed: Int64) -> String? {
        if let header = Self.headerRefusal(raw) { return header }
        let value = crc.value, size = UInt32(truncatingIfNeeded: inflatedCount)
        let expected = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        guard consumed >= 18, raw.bytes(at: consumed - 8, count: 8) == expected else {
            return "expected one gzip member whose trailer holds the CRC-32 and length of the inflated bytes (Node's zlib refuses the tarball otherwise, or inflates more than libarchive)"
        }
        guard raw.isZero(from: consumed) else {
            return "expected only zeros after the gzip stream (Node's zlib reads anything else as more of the tarball)"
        }
        return nil
    }

    /// The header CRC-16 (FHCRC): the low half of the CRC-32 of the header bytes before it.
    private static func headerRefusal(_ raw: RawChunks) -> String? {
        guard let head = raw.bytes(at: 0, count: 10), head[3] & 0x02 != 0 else { return nil }
        var length = 10
        if head[3] & 0x04 != 0 {  // FEXTRA: a 2-byte length, then that many bytes
            guard let extra = raw.bytes(at: 10, count: 2) else { return "expected a whole gzip header" }
            length += 2 + (Int(extra[0]) | Int(extra[1]) << 8)
        }
        for flag in [UInt8(0x08), 0x10] where head[3] & flag != 0 {  // FNAME, FCOMMENT: NUL-terminated
            guard let end = raw.offsetOfZero(from: Int64(length), within: Int64(RawChunks.maxReadAhead)) else { return "expected a whole gzip header" }
            length = Int(end) + 1
        }
        guard let header = raw.bytes(at: 0, count: length + 2) else { return "expected a whole gzip header" }
        var check = CRC32()
        header.prefix(length).withUnsafeBytes { check.update($0) }
        let stored = UInt16(header[length]) | UInt16(header[length + 1]) << 8
        return stored == UInt16(truncatingIfNeeded: check.value) ? nil : "expected the gzip header CRC to match the header (Node's zlib refuses it)"
    }
}
/// CRC-32 (IEEE 802.3, as gzip uses it), eight bytes at a time.
struct CRC32 {
    private(set) var value: UInt32 = 0

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            tables[0][byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 { tables[slice][byte] = (tables[slice - 1][byte] >> 8) ^ tables[0][Int(tables[slice - 1][byte] & 0xFF)] }
        }
        return tables
    }()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = ~value
        Self.tables.withUnsafeBufferPointer { tables in
            let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3], t4 = tables[4], t5 = tables[5], t6 = tables[6], t7 = tables[7]
            var index = 0
            while index + 8 <= bytes.count {
                let low = crc ^ (UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24)
                crc = t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)] ^ t4[Int(low >> 24)]
                    ^ t3[Int(bytes[index + 4])] ^ t2[Int(bytes[index + 5])] ^ t1[Int(bytes[index + 6])] ^ t0[Int(bytes[index + 7])]
                index += 8
            }
            while index < bytes.count {
                crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
                index += 1
            }
        }
        value = ~crc
    }
}
