/// The fields of one 512-byte tar header as npm's tar reader (node-tar 6's `Header.decode`) reads
/// them, accepted only in forms libarchive reads to the same values; anything else is refused
/// with the reason. node-tar decodes each number field through JavaScript (`trim`, `parseInt`,
/// its own base-256 rules that throw) and reads the checksum over 12 bytes, not 8; a header it
/// throws on or finds invalid is skipped, and its data is then read as headers (found by review:
/// an inert file's data held the `index.js` npm installed).
struct TarHeaderFields {
    /// Largest number accepted: JavaScript's largest exact integer (node-tar throws above it).
    static let maxNumber: Int64 = (1 << 53) - 1

    let type: UInt8
    let size: Int64
    /// The ustar path as node-tar reads it (`prefix/name` for the exact ustar magic only).
    let path: [UInt8]
    /// The 100-byte name field alone, what node-tar's "a file ending in / is a directory" reads.
    let name: [UInt8]
    /// The link name field (node-tar judges a header's validity by it, never by a pax linkpath).
    let linkName: [UInt8]

    /// Reads `block`, or throws the reason node-tar and libarchive would read it differently.
    init(_ block: [UInt8]) throws(TarRefusal) {
        for (offset, width, field) in [(100, 8, "mode"), (108, 8, "uid"), (116, 8, "gid"), (136, 12, "mtime")] {
            _ = try Self.number(block, at: offset, width: width, field, signed: true)
        }
        guard let checksum = try Self.number(block, at: 148, width: 8, "checksum", terminated: true),
              checksum == Self.unsignedSum(block) else {
            throw TarRefusal("expected a tar header whose checksum matches its bytes (npm's reader skips the header and reads its data as headers)")
        }
        size = try Self.number(block, at: 124, width: 12, "size") ?? 0
        type = block[156]
        name = try Self.text(block, 0..<100, "name")
        linkName = try Self.text(block, 157..<257, "link name")
        path = try Self.ustarPath(block, name: name)
    }

    /// The path with the ustar prefix where node-tar applies one, after checking the magic and the
    /// fields node-tar decodes only in ustar headers.
    private static func ustarPath(_ block: [UInt8], name: [UInt8]) throws(TarRefusal) -> [UInt8] {
        let magic = Array(block[257..<265])
        if magic == Array("ustar  \0".utf8) {
            // libarchive applies a GNU header's sparse map whatever its type; node-tar never does.
            guard block[386..<495].allSatisfy({ $0 == 0 }) else {
                throw TarRefusal("expected no GNU sparse fields in a tar header (libarchive rebuilds the file from them, npm's reader does not)")
            }
            return name
        }
        guard magic == Array("ustar\0".utf8) + Array("00".utf8) else {
            // libarchive reads a prefix under any magic that starts with "ustar", node-tar under this one only.
            if magic.starts(with: Array("ustar".utf8)) {
                throw TarRefusal("expected the ustar magic \"ustar\\0\" \"00\" or GNU's \"ustar  \\0\" (libarchive reads a name prefix under others that npm's reader ignores)")
            }
            return name
        }
        for (offset, field) in [(329, "devmajor"), (337, "devminor")] { _ = try number(block, at: offset, width: 8, field, signed: true) }
        let prefix: [UInt8]
        if block[475] != 0 {
            prefix = try text(block, 345..<500, "name prefix")
        } else {
            prefix = try text(block, 345..<475, "name prefix")
            for (offset, field) in [(476, "atime"), (488, "ctime")] { _ = try number(block, at: offset, width: 12, field, signed: true) }
        }
        guard !prefix.isEmpty else { return name }
        guard prefix.last != UInt8(ascii: "/"), !name.isEmpty else {
            throw TarRefusal("expected a name prefix without a final / before a name (the readers join them differently)")
        }
        return prefix + [UInt8(ascii: "/")] + name
    }

    /// A number field: octal digits after optional spaces, then only NULs or spaces (at least one of
    /// them when `terminated`, as the checksum needs: node-tar reads on into the type flag), or
    /// base-256 behind a 0x80 byte (or 0xff, negative, where `signed`: a time before 1970);
    /// nil when the field holds no digits at all.
    static func number(_ block: [UInt8], at offset: Int, width: Int, _ field: String,
                       terminated: Bool = false, signed: Bool = false) throws(TarRefusal) -> Int64? {
        let end = offset + width
        if block[offset] & 0x80 != 0 {
            let negative = block[offset] == 0xFF
            guard block[offset] == 0x80 || negative && signed else {
                throw TarRefusal("expected a base-256 \(field) with lead byte 0x80\(signed ? " or 0xff" : ""), found lead byte 0x\(String(block[offset], radix: 16)) (npm's reader refuses others)")
            }
            // A negative number's magnitude is its bits inverted, plus one.
            var value: Int64 = 0
            for byte in block[(negative ? offset : offset + 1)..<end] {
                guard value <= maxNumber >> 8 else { throw TarRefusal("expected a \(field) of at most \(maxNumber) in size, found more") }
                value = value << 8 | Int64(negative ? ~byte : byte)
            }
            if negative { value += 1 }
            guard value <= maxNumber else { throw TarRefusal("expected a \(field) of at most \(maxNumber) in size, found \(value)") }
            return negative ? -value : value
        }
        var index = offset
        while index < end, block[index] == 0x20 { index += 1 }
        let digitsStart = index
        while index < end, (0x30...0x37).contains(block[index]) { index += 1 }
        guard block[index..<end].allSatisfy({ $0 == 0 || $0 == 0x20 }), !terminated || index < end else {
            throw TarRefusal("expected the \(field) field to hold octal digits ended by NUL or space, found \(Array(block[offset..<end])) (npm's reader and libarchive read other forms differently)")
        }
        return index == digitsStart ? nil : block[digitsStart..<index].reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }

    /// A text field: the bytes up to the first NUL, and only NULs after it (node-tar's `/\0.*/` stops
    /// at a line break and keeps what follows it; libarchive stops at the NUL). Whether it must be
    /// UTF-8 is the walker's call: only a name an entry keeps must be.
    static func text(_ block: [UInt8], _ range: Range<Int>, _ field: String) throws(TarRefusal) -> [UInt8] {
        let text = block[range].prefix { $0 != 0 }
        guard block[range].dropFirst(text.count).allSatisfy({ $0 == 0 }) else {
            throw TarRefusal("expected only NULs after the end of the \(field) in a tar header (npm's reader keeps what follows a line break there)")
        }
        return Array(text)
    }

    /// The unsigned sum of the header's bytes with the checksum field read as spaces.
    static func unsignedSum(_ block: [UInt8]) -> Int64 {
        var sum: Int64 = 8 * 0x20
        for index in block.indices where !(148..<156).contains(index) { sum += Int64(block[index]) }
        return sum
    }
}

/// Why npm's tar reader and libarchive would read a tar stream differently.
struct TarRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
