/// Walks the inflated tar stream's 512-byte headers as npm's tar reader (node-tar) does, beside
/// libarchive, and refuses what the two would read differently, so the tree verify-install writes
/// is the tree npm would write from the same verified bytes. Each header must be one node-tar
/// reads as valid and libarchive reads alike (``TarHeaderFields``, ``PaxRecords``), and each
/// entry's path, link target and size as node-tar reads them are queued (``takeEntry()``) for
/// the reader to compare with libarchive's entry. Refused besides:
/// - a typeflag outside `0`, NUL, `1`–`7`, `x`, `g`, `L`, `K` (libarchive writes `N`, `S` or
///   unknown types as files; node-tar renames with `N` or skips them);
/// - an entry named twice (a pax `path` and a GNU `L`, or two of either), or its link target twice;
/// - a global header that sets `path`, `linkpath` or `size`, and a record after a pax header
///   (node-tar applies the pax header to it);
/// - a link, directory or device entry that carries data, a link without a link name, a link
///   name on anything else;
/// - anything but zeros after the first zero block (libarchive ends there, node-tar reads on).
struct TarWalker {
    /// One entry as node-tar reads it.
    struct Entry: Equatable {
        let path: [UInt8]
        /// The link target of a hard or symbolic link; nil for other entries.
        let link: [UInt8]?
        /// The data size of a regular file; nil for other entries.
        let fileSize: Int64?
    }

    private enum State {
        case header
        case record(kind: UInt8, remaining: Int64, padding: Int64)
        case data(remaining: Int64)
        case ended
    }

    /// What the records before an entry set for it.
    private struct Pending {
        var names = 0, links = 0
        var size: Int64?
        var name: [UInt8]?, link: [UInt8]?
        /// Whether `name` or `link` came from a pax record node-tar may read in two pieces (one
        /// over 512 bytes): it drops a line whose UTF-8 it reads split, and the header's own field
        /// is then used.
        var nameMayFallBack = false, linkMayFallBack = false
        /// A pax header was read: the next header must be its entry.
        var afterPax = false
    }

    private var state = State.header
    private var block: [UInt8] = []
    private var record: [UInt8] = []
    private var pending = Pending()
    private var entries: [Entry] = []
    private var taken = 0
    /// Largest pax or GNU record (node-tar ignores larger ones; the unpacker's caps are far lower).
    static let maxRecordBytes: Int64 = 1 << 20

    /// The next entry read and not taken yet, in archive order.
    mutating func takeEntry() -> Entry? {
        guard taken < entries.count else { return nil }
        defer {
            taken += 1
            if taken == entries.count { (entries, taken) = ([], 0) }
        }
        return entries[taken]
    }

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
                do { try finishRecord(kind) } catch { return error.reason }
                state = padding == 0 ? .header : .data(remaining: padding)
            case .header:
                let take = min(bytes.count - index, 512 - block.count)
                block += bytes[index..<index + take]
                index += take
                guard block.count == 512 else { continue }
                defer { block.removeAll(keepingCapacity: true) }
                do { try readHeader() } catch { return error.reason }
            }
        }
        return nil
    }

    private mutating func readHeader() throws(TarRefusal) {
        if block.allSatisfy({ $0 == 0 }) { state = .ended; return }
        let fields = try TarHeaderFields(block)
        let padding = (512 - fields.size % 512) % 512
        switch fields.type {
        case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
            // node-tar applies a pending pax header to the records in between as well.
            if pending.afterPax { throw TarRefusal("expected a pax header to be followed by its entry, found another record header") }
            guard !fields.name.isEmpty, fields.linkName.isEmpty else {
                throw TarRefusal("expected a record header with a name and no link name (npm's reader skips others)")
            }
            guard fields.size > 0, fields.size <= Self.maxRecordBytes else {
                throw TarRefusal("expected a pax or GNU record of 1 to \(Self.maxRecordBytes) bytes, found \(fields.size) (npm's reader ignores others)")
            }
            record.removeAll(keepingCapacity: true)
            state = .record(kind: fields.type, remaining: fields.size, padding: padding)
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"),
             UInt8(ascii: "4"), UInt8(ascii: "5"), UInt8(ascii: "6"):
            defer { pending = Pending() }
            let (entry, size) = try Self.entry(fields, pending)
            let total = size + (512 - size % 512) % 512  // sizes stay below 2^53: no overflow
            entries.append(entry)
            state = total == 0 ? .header : .data(remaining: total)
        default:
            throw TarRefusal("expected a tar entry type npm's reader knows (0-7, x, g, L, K), found '\(String(UnicodeScalar(fields.type)))' (0x\(String(fields.type, radix: 16)))")
        }
    }

    /// A complete pax (`x`, `g`) or GNU long-name (`L`, `K`) record.
    private mutating func finishRecord(_ kind: UInt8) throws(TarRefusal) {
        switch kind {
        case UInt8(ascii: "L"):
            pending.names += 1
            (pending.name, pending.nameMayFallBack) = (try Self.longName(record), false)
        case UInt8(ascii: "K"):
            pending.links += 1
            (pending.link, pending.linkMayFallBack) = (try Self.longName(record), false)
        default:
            let isGlobal = kind == UInt8(ascii: "g")
            for (key, value) in try PaxRecords.parse(record) {
                if isGlobal {
                    if ["path", "linkpath", "size"].contains(key) { throw TarRefusal("expected no \(key) in a global pax header (npm's reader and libarchive read it differently)") }
                    continue
                }
                switch key {
                case "path": pending.names += 1; (pending.name, pending.nameMayFallBack) = (try PaxRecords.name(value, key: key), record.count > 512)
                case "linkpath": pending.links += 1; (pending.link, pending.linkMayFallBack) = (try PaxRecords.name(value, key: key), record.count > 512)
                case "size": pending.size = try PaxRecords.size(value)
                default: break
                }
            }
            pending.afterPax = pending.afterPax || !isGlobal
        }
    }

    /// A GNU long name or link: UTF-8 up to a NUL, then NULs only. node-tar decodes a record over
    /// 512 bytes in the pieces it may arrive in (one block at a time is never split), so a character
    /// split between two would turn into replacement characters: such a record must be ASCII.
    private static func longName(_ record: [UInt8]) throws(TarRefusal) -> [UInt8] {
        let text = record.prefix { $0 != 0 }
        guard !text.isEmpty, record.dropFirst(text.count).allSatisfy({ $0 == 0 }), String(validating: text, as: UTF8.self) != nil,
              record.count <= 512 || text.allSatisfy({ $0 < 0x80 }) else {
            throw TarRefusal("expected a GNU long name of UTF-8 ended by NULs only, and ASCII when over 512 bytes (npm's reader keeps what follows a line break, and may split other characters)")
        }
        return Array(text)
    }

    /// The entry `fields` describe with what the records before it set, and its data size.
    private static func entry(_ fields: TarHeaderFields, _ pending: Pending) throws(TarRefusal) -> (Entry, Int64) {
        if pending.names > 1 { throw TarRefusal("expected one name for a tar entry, found \(pending.names) (a pax path and a GNU long name, or two of them: npm's reader and libarchive keep different ones)") }
        if pending.links > 1 { throw TarRefusal("expected one link target for a tar entry, found \(pending.links)") }
        if pending.size == 0, fields.size != 0 { throw TarRefusal("expected a pax size of 0 only on an empty entry (npm's reader ignores it)") }
        let size = pending.size ?? fields.size
        let type = fields.type
        let isFile = type == 0 || type == UInt8(ascii: "0") || type == UInt8(ascii: "7")
        let isLink = type == UInt8(ascii: "1") || type == UInt8(ascii: "2")
        if !isFile, size != 0 { throw TarRefusal("expected no data for a link, directory or device entry, found \(size) bytes") }
        guard !(pending.name ?? fields.name).isEmpty else { throw TarRefusal("expected a name for every tar entry (npm's reader skips a header without one)") }
        // node-tar judges by the header's own link name field, whatever a record says.
        guard isLink != fields.linkName.isEmpty, isLink || pending.links == 0 else {
            throw TarRefusal("expected a link target on link entries and only there (npm's reader skips the header otherwise)")
        }
        let path = pending.name ?? fields.path
        guard String(validating: path, as: UTF8.self) != nil else { throw TarRefusal("expected a UTF-8 entry name (npm's reader replaces other bytes)") }
        if isFile, path.last == UInt8(ascii: "/") {
            guard type != UInt8(ascii: "7"), size == 0 else { throw TarRefusal("expected no data for an entry whose name ends in / (both readers take it for a directory)") }
        }
        // node-tar drops a pax line whose UTF-8 it reads split across two chunks, and uses the
        // header's field instead: the two must then agree.
        if pending.nameMayFallBack, path.contains(where: { $0 >= 0x80 }), path != fields.path {
            throw TarRefusal("expected a non-ASCII pax path to be the header's own name too (npm's reader may fall back to the header's)")
        }
        let link = pending.link ?? fields.linkName
        if isLink, String(validating: link, as: UTF8.self) == nil { throw TarRefusal("expected a UTF-8 link target (npm's reader replaces other bytes)") }
        if pending.linkMayFallBack, link.contains(where: { $0 >= 0x80 }), link != fields.linkName {
            throw TarRefusal("expected a non-ASCII pax link path to be the header's own link name too (npm's reader may fall back to the header's)")
        }
        let isDirectory = type == UInt8(ascii: "5") || isFile && path.last == UInt8(ascii: "/")
        return (Entry(path: path, link: isLink ? link : nil, fileSize: isFile && !isDirectory ? size : nil), size)
    }
}
