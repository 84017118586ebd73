/// Walks the inflated tar stream's 512-byte headers as npm's tar reader (node-tar) does, beside
/// libarchive, and refuses what the two would read differently, so the tree verify-install writes
/// is the tree npm would write from the same verified bytes:
/// - a typeflag outside `0`, NUL, `1`–`7`, `x`, `g`, `L`, `K` (libarchive writes `N`, `S` or
///   unknown types as files; node-tar renames with `N` or skips them);
/// - an entry named twice (a pax `path` and a GNU `L`, or two of either: the two readers keep
///   different ones), or its link target twice (`linkpath` and `K`);
/// - GNU sparse records (`GNU.sparse.*`), which libarchive applies and node-tar ignores, a
///   global header that sets `path`, `linkpath` or `size`, and ACL records (`SCHILY.acl.*`),
///   which node-tar ignores and libarchive parses in time quadratic in their entries;
/// - a link, directory or device entry that carries data;
/// - anything but zeros after the first zero block (libarchive ends there, node-tar reads on).
struct TarWalker {
    private enum State {
        case header
        case record(kind: UInt8, remaining: Int64, padding: Int64)
        case data(remaining: Int64)
        case ended
    }

    private var state = State.header
    private var block: [UInt8] = []
    private var record: [UInt8] = []
    private var names = 0, links = 0
    private var paxSize: Int64?
    /// The name a pax `path` or GNU `L` record gives the next entry.
    private var pendingName: [UInt8]?
    /// Largest pax or GNU record kept to be read (the unpacker's header caps are far lower).
    static let maxRecordBytes: Int64 = 1 << 20

    /// Takes the next inflated bytes; a reason when they must be refused.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> String? {
        var index = 0
        while index < bytes.count {
            switch state {
            case .ended:
                if bytes[index...].contains(where: { $0 != 0 }) { return "expected only zeros after the end-of-archive block, found more data (libarchive stops there, npm's reader goes on)" }
                return nil
            case .data(let remaining):
                let take = Int(min(Int64(bytes.count - index), remaining))
                index += take
                state = remaining - Int64(take) == 0 ? .header : .data(remaining: remaining - Int64(take))
            case .record(let kind, let remaining, let padding):
                let take = Int(min(Int64(bytes.count - index), remaining))
                record += bytes[index..<index + take]
                index += take
                if remaining - Int64(take) > 0 { state = .record(kind: kind, remaining: remaining - Int64(take), padding: padding); continue }
                if let refusal = finishRecord(kind) { return refusal }
                state = padding == 0 ? .header : .data(remaining: padding)
            case .header:
                let take = min(bytes.count - index, 512 - block.count)
                block += bytes[index..<index + take]
                index += take
                if block.count == 512, let refusal = readHeader() { return refusal }
            }
        }
        return nil
    }

    private mutating func readHeader() -> String? {
        defer { block.removeAll(keepingCapacity: true) }
        if block.allSatisfy({ $0 == 0 }) { state = .ended; return nil }
        let type = block[156]
        guard Self.checksumMatches(block) else { return "expected a tar header whose checksum matches (npm's reader skips the header, libarchive stops)" }
        guard let size = Self.size(block[124..<136]) else { return "expected a readable entry size in a tar header" }
        let padding = (512 - size % 512) % 512
        switch type {
        case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
            // node-tar applies a pending pax size to the records in between as well.
            if paxSize != nil { return "expected a pax header to be followed by its entry, found another record header" }
            guard size <= Self.maxRecordBytes else { return "expected a pax or GNU record of at most \(Self.maxRecordBytes) bytes, found \(size)" }
            record.removeAll(keepingCapacity: true)
            state = size == 0 ? .header : .record(kind: type, remaining: size, padding: padding)
            if size == 0 { return finishRecord(type) }
            return nil
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"),
             UInt8(ascii: "4"), UInt8(ascii: "5"), UInt8(ascii: "6"):
            defer { (names, links, paxSize, pendingName) = (0, 0, nil, nil) }
            if names > 1 { return "expected one name for a tar entry, found \(names) (a pax path and a GNU long name, or two of them: npm's reader and libarchive keep different ones)" }
            if links > 1 { return "expected one link target for a tar entry, found \(links)" }
            if paxSize == 0, size != 0 { return "expected a pax size of 0 only on an empty entry (npm's reader ignores it)" }
            let dataSize = paxSize ?? size
            let isFile = type == 0 || type == UInt8(ascii: "0") || type == UInt8(ascii: "7")
            let isLink = type == UInt8(ascii: "1") || type == UInt8(ascii: "2")
            if !isFile, dataSize != 0 { return "expected no data for a link, directory or device entry, found \(dataSize) bytes" }
            let name = pendingName ?? Self.ustarName(block)
            if isFile, name.last == UInt8(ascii: "/"), dataSize != 0 { return "expected no data for an entry whose name ends in / (both readers take it for a directory)" }
            let hasLinkName = block[157] != 0 || links > 0
            if isLink != hasLinkName { return "expected a link target on link entries and only there (npm's reader skips the header otherwise)" }
            let total = dataSize + (512 - dataSize % 512) % 512
            state = total == 0 ? .header : .data(remaining: total)
            return nil
        default:
            return "expected a tar entry type npm's reader knows (0-7, x, g, L, K), found '\(String(UnicodeScalar(type)))' (0x\(String(type, radix: 16)))"
        }
    }

    /// A complete pax (`x`, `g`) or GNU long-name (`L`, `K`) record.
    private mutating func finishRecord(_ kind: UInt8) -> String? {
        switch kind {
        case UInt8(ascii: "L"):
            names += 1
            pendingName = Array(record.prefix { $0 != 0 })
        case UInt8(ascii: "K"): links += 1
        default:
            guard let pairs = Self.paxPairs(record) else { return "expected well-formed pax records (\"<length> key=value\\n\")" }
            for (key, value) in pairs {
                if key.starts(with: Array("GNU.sparse.".utf8)) {
                    return "the tar stream carries GNU sparse records (GNU.sparse.*), which libarchive applies (renaming or rebuilding files) and npm's tar reader ignores, so the two would install different trees"
                }
                if key.starts(with: Array("SCHILY.acl.".utf8)) {  // refused before libarchive parses it, in quadratic time
                    return "expected no access control lists (SCHILY.acl.*) in a package tarball; npm's reader ignores them"
                }
                let name = String(decoding: key, as: UTF8.self)
                if kind == UInt8(ascii: "g"), ["path", "linkpath", "size"].contains(name) {
                    return "expected no \(name) in a global pax header (npm's reader and libarchive read it differently)"
                }
                if name == "path" { names += 1; pendingName = Array(value) }
                if name == "linkpath" { links += 1 }
                if name == "size" {
                    guard !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let size = Int64(String(decoding: value, as: UTF8.self)) else {
                        return "expected a decimal pax size"
                    }
                    paxSize = size
                }
            }
        }
        return nil
    }

    /// `<length> key=value\n` records; nil when one is malformed.
    static func paxPairs(_ data: [UInt8]) -> [(key: ArraySlice<UInt8>, value: ArraySlice<UInt8>)]? {
        var pairs: [(key: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] = []
        var start = 0
        while start < data.count {
            guard let space = data[start...].firstIndex(of: 0x20), let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                  length > 0, start + length <= data.count, data[start + length - 1] == 0x0A,
                  let equals = data[(space + 1)..<(start + length)].firstIndex(of: UInt8(ascii: "=")) else { return nil }
            pairs.append((data[(space + 1)..<equals], data[(equals + 1)..<(start + length - 1)]))
            start += length
        }
        return pairs
    }

    /// Whether the header's checksum field holds the unsigned sum of its bytes (the field read as
    /// spaces), as npm's reader checks it.
    static func checksumMatches(_ block: [UInt8]) -> Bool {
        let sum = block.indices.reduce(0) { $0 + ((148..<156).contains($1) ? 0x20 : Int(block[$1])) }
        guard let stored = size(block[148..<156]) else { return false }
        return Int(stored) == sum
    }

    /// The ustar name: `prefix/name` when the prefix field is set.
    static func ustarName(_ block: [UInt8]) -> [UInt8] {
        let name = block[0..<100].prefix { $0 != 0 }, prefix = block[345..<500].prefix { $0 != 0 }
        return prefix.isEmpty ? Array(name) : Array(prefix) + [UInt8(ascii: "/")] + Array(name)
    }

    /// An octal size field, or base-256 when its first byte has the high bit set; nil when it is
    /// malformed or negative.
    static func size(_ field: ArraySlice<UInt8>) -> Int64? {
        if let first = field.first, first & 0x80 != 0 {
            guard first & 0x40 == 0 else { return nil }  // a negative base-256 number: no size
            var value: Int64 = Int64(first & 0x7F)
            for byte in field.dropFirst() {
                guard value <= (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = field.drop { $0 == 0x20 }.prefix { $0 >= 0x30 && $0 <= 0x37 }
        guard !digits.isEmpty || field.allSatisfy({ $0 == 0 || $0 == 0x20 }) else { return nil }
        return digits.reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }
}
