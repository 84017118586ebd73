/// What Node's zlib checks at the end of a gzip stream and libarchive's gzip filter does not
/// ("XXX TODO: Verify the length and CRC"): the trailer's CRC-32 and length of the inflated bytes,
/// and nothing but zero bytes after it (found by review: a flipped CRC byte, or junk after the
/// stream, failed npm and passed here). The trailer is looked for where the raw bytes end, zero
/// padding aside, so a tarball of two gzip members is refused too (npm's would be accepted; no
/// packer writes one).
struct GzipTrailer {
    private var crc = CRC32()
    private var inflatedCount: UInt64 = 0
    /// Up to 8 raw bytes ending at the last non-zero raw byte seen.
    private var window: [UInt8] = []
    /// Zero bytes seen after it.
    private var zeros = 0

    /// Takes the next raw (compressed) bytes.
    mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let last = bytes.lastIndex(where: { $0 != 0 }) else {
            zeros += bytes.count
            return
        }
        window = Array((window + [UInt8](repeating: 0, count: min(zeros, 8)) + bytes[max(0, last - 7)...last]).suffix(8))
        zeros = bytes.count - last - 1
    }

    /// Takes the next inflated bytes.
    mutating func inflated(_ bytes: UnsafeRawBufferPointer) {
        crc.update(bytes)
        inflatedCount &+= UInt64(bytes.count)
    }

    /// Why the raw bytes do not end as a gzip stream of the inflated bytes should; nil when they do.
    func refusal() -> String? {
        let value = crc.value, size = UInt32(truncatingIfNeeded: inflatedCount)
        let expected = (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
        // The trailer may itself end in zero bytes (a length under 2^24): try each split.
        for trailingZeros in 0..<min(8, zeros + 1) where window.count >= 8 - trailingZeros {
            if Array(window.suffix(8 - trailingZeros)) + [UInt8](repeating: 0, count: trailingZeros) == expected { return nil }
        }
        return "expected the gzip trailer to hold the CRC-32 and length of the inflated bytes, with only zeros after it (Node's zlib refuses the tarball otherwise)"
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
