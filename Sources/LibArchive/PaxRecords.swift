/// Pax records (`<length> <key>=<value>\n`) in the one form npm's tar reader and libarchive read
/// alike. libarchive reads each record by its length; node-tar splits the data at line breaks and
/// keeps a line only when its length prefix, read by `parseInt`, counts its UTF-8 bytes (found by
/// review: `comment=\n25 path=…` named a file for npm alone, and `027 path=…` for libarchive alone).
/// So a record must have a plain decimal length (no leading zero) and no line break or NUL inside,
/// the records must fill the data exactly, and each must be UTF-8 (node-tar replaces other bytes,
/// which changes the length it counts).
enum PaxRecords {
    /// Keys both readers treat alike, or that only set what an unpacked file ignores (times,
    /// owners, extended attributes); any other is refused, since libarchive honours some that
    /// node-tar ignores (`SCHILY.realsize`, `hdrcharset`, `SUN.holesdata`...).
    static let knownKeys: Set<String> = ["path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid", "uname", "gname",
                                        "comment", "charset", "SCHILY.dev", "SCHILY.ino", "SCHILY.nlink", "SCHILY.fflags",
                                        "LIBARCHIVE.creationtime", "LIBARCHIVE.symlinktype", "RHT.security.selinux"]
    static let attributePrefixes = ["SCHILY.xattr.", "LIBARCHIVE.xattr."]

    /// The records of `data` as (key, value), or the reason they must be refused.
    static func parse(_ data: [UInt8]) throws(TarRefusal) -> [(key: String, value: [UInt8])] {
        var records: [(key: String, value: [UInt8])] = []
        var start = 0
        while start < data.count {
            var index = start
            while index < data.count, index - start < 8, (0x30...0x39).contains(data[index]) { index += 1 }
            guard index > start, data[start] != 0x30, index < data.count, data[index] == 0x20,
                  let length = Int(String(decoding: data[start..<index], as: UTF8.self)),
                  length > index + 1 - start, length <= data.count - start, data[start + length - 1] == 0x0A else {
                throw TarRefusal("expected pax records as \"<length> key=value\\n\" with a plain decimal length that fits the record")
            }
            let body = data[(index + 1)..<(start + length - 1)]
            guard !body.contains(0x0A), !body.contains(0), let equals = body.firstIndex(of: UInt8(ascii: "=")), equals > body.startIndex,
                  let key = String(validating: body[..<equals], as: UTF8.self), String(validating: body, as: UTF8.self) != nil else {
                throw TarRefusal("expected each pax record to be UTF-8 \"key=value\" without a line break or NUL inside (npm's reader splits records at line breaks)")
            }
            try check(key)
            records.append((key, Array(body[(equals + 1)...])))
            start += length
        }
        return records
    }

    private static func check(_ key: String) throws(TarRefusal) {
        if key.utf8.starts(with: "GNU.sparse.".utf8) {
            throw TarRefusal("the tar stream carries GNU sparse records (GNU.sparse.*), which libarchive applies (renaming or rebuilding files) and npm's tar reader ignores, so the two would install different trees")
        }
        if key.utf8.starts(with: "SCHILY.acl.".utf8) {  // refused before libarchive parses it, in quadratic time
            throw TarRefusal("expected no access control lists (SCHILY.acl.*) in a package tarball; npm's reader ignores them")
        }
        guard knownKeys.contains(key) || attributePrefixes.contains(where: { key.utf8.starts(with: $0.utf8) }) else {
            throw TarRefusal("expected pax keys npm's reader and libarchive treat alike, found '\(key)'")
        }
    }

    /// A pax `size`: decimal digits, at most ``TarHeaderFields/maxNumber``.
    static func size(_ value: [UInt8]) throws(TarRefusal) -> Int64 {
        guard !value.isEmpty, value.count <= 16, value.allSatisfy({ (0x30...0x39).contains($0) }),
              let size = Int64(String(decoding: value, as: UTF8.self)), size <= TarHeaderFields.maxNumber else {
            throw TarRefusal("expected a decimal pax size of at most \(TarHeaderFields.maxNumber)")
        }
        return size
    }

    /// A pax `path` or `linkpath`: not empty (node-tar ignores it, libarchive does not) and not all
    /// digits (node-tar makes a number of it and fails on the header).
    static func name(_ value: [UInt8], key: String) throws(TarRefusal) -> [UInt8] {
        guard !value.isEmpty, !value.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw TarRefusal("expected a pax \(key) that is neither empty nor all digits (npm's reader ignores or misreads it)")
        }
        return value
    }
}
