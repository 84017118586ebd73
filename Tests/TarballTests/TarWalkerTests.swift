import Foundation
import Tarball
import Testing

/// Tarballs that libarchive and npm's tar reader (node-tar) read as different trees are refused,
/// so the files verify-install writes are the files npm would write from the same verified bytes.
@Suite struct TarWalkerTests {
    typealias Bomb = SparseHeaderBombTests

    static func entry(_ name: String, _ data: String = "", type: String = "0") -> [UInt8] {
        let bytes = Array(data.utf8)
        let header = Bomb.block([(0, Array(name.utf8)), (100, Bomb.octal(0o644, width: 8)), (124, Bomb.octal(bytes.count, width: 12)),
                                 (156, Array(type.utf8)), (257, Array("ustar\u{0}00".utf8))])
        return header + bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    static func pax(_ records: [(String, String)], type: String = "x") -> [UInt8] {
        let text = records.map { key, value in
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).count + body.utf8.count != length { length += 1 }
            return "\(length)\(body)"
        }.joined()
        return entry("PaxHeader/x", text, type: type)
    }

    static func refusal(_ tar: [UInt8]) throws -> String? {
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: Data(tar + [UInt8](repeating: 0, count: 1024)))
        try #require(gzipped.status == 0)
        return try expectRejection(Array(gzipped.output), code: .corruptArchive, entry: nil)?.message
    }

    static let base = entry("package/package.json", "{}") + entry("package/index.js", "module.exports = 'benign'\n")

    @Test func oneZeroBlockBeforeMoreEntriesIsRefused() throws {
        // libarchive ends at the first zero block; node-tar reads on and installs the second index.js.
        let tar = Self.base + [UInt8](repeating: 0, count: 512) + Self.entry("package/index.js", "module.exports = 'evil'\n")
        #expect(try Self.refusal(tar)?.contains("only zeros after the end-of-archive block") == true)
    }

    @Test func anEntryNamedByBothAPaxPathAndAGNULongNameIsRefused() throws {
        // A GNU long name, then a pax path (a pax header before the long name is refused sooner:
        // node-tar applies it to the long name's header).
        let tar = Self.base + Self.entry("././@LongLink", "package/fromL.js\u{0}", type: "L") + Self.pax([("path", "package/fromx.js")])
            + Self.entry("package/orig.js", "1")
        #expect(try Self.refusal(tar)?.contains("expected one name for a tar entry, found 2") == true)
    }

    @Test(arguments: ["N", "z", "S", "V"])
    func anEntryTypeNpmsReaderDoesNotInstallAsAFileIsRefused(_ type: String) throws {
        let tar = Self.base + Self.entry("package/README.md", "package/index2.js\u{0}", type: type)
        #expect(try Self.refusal(tar)?.contains("found '\(type)'") == true)
    }

    @Test func aSymlinkWithDataAndAGlobalPathAreRefused() throws {
        #expect(try Self.refusal(Self.base + Self.entry("package/link", "data", type: "2"))?.contains("no data for a link") == true)
        #expect(try Self.refusal(Self.pax([("path", "package/x.js")], type: "g") + Self.base)?.contains("no path in a global pax header") == true)
    }

    /// libarchive parses an ACL of named users in quadratic time (1.7 KB took 40 s); the walker
    /// refuses the record before libarchive is handed its last byte.
    @Test func anACLRecordIsRefusedBeforeLibarchiveParsesIt() throws {
        let acl = Self.pax([("SCHILY.acl.access", Array(repeating: "u:a:r", count: 2000).joined(separator: ","))])
        #expect(try Self.refusal(Self.base + acl + Self.entry("package/a.js", "1"))?.contains("access control lists") == true)
    }

    /// Found by a re-attack: headers that move where node-tar reads the next header, so that a
    /// header the walker took for data is an entry to npm.
    @Test func headersThatShiftNodeTarsReadingAreRefused() throws {
        let inner = Self.entry("package/e.js", "console.log('evil')\n")
        // A pax size node-tar also applies to the GNU record before the entry.
        #expect(try Self.refusal(Self.base + Self.pax([("size", "1024")]) + Self.entry("././@LongLink", "package/a.txt\u{0}", type: "L")
                                 + Self.entry("package/a.txt", "x"))?.contains("followed by its entry") == true)
        // A file whose name ends in / is a directory to both readers: its "data" is headers.
        var dir = Self.entry("package/d/", "", type: "0")
        dir.replaceSubrange(124..<136, with: Bomb.octal(inner.count, width: 12))
        dir = Bomb.block([(0, Array(dir[0..<512]))]) + inner
        #expect(try Self.refusal(Self.base + dir)?.contains("name ends in /") == true)
        // A regular file with a link name: npm skips the header and reads its data as headers.
        let linked = Bomb.block([(0, Array("package/c.txt".utf8)), (100, Bomb.octal(0o644, width: 8)), (124, Bomb.octal(0, width: 12)),
                                 (156, Array("0".utf8)), (157, Array("x".utf8)), (257, Array("ustar\u{0}00".utf8))])
        #expect(try Self.refusal(Self.base + linked)?.contains("link target on link entries and only there") == true)
        // A pax size of 0 that npm ignores, and a header whose checksum is off.
        #expect(try Self.refusal(Self.base + Self.pax([("size", "0")]) + Self.entry("package/c.txt", "data"))?.contains("pax size of 0") == true)
        var bad = Self.entry("package/f.js", "1")
        bad[148] = bad[148] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        #expect(try Self.refusal(Self.base + bad)?.contains("checksum") == true)
    }

    @Test func anOrdinaryTarballWithPaxRecordsUnpacks() throws {
        let tar = Self.pax([("path", "package/" + String(repeating: "n", count: 150) + ".js"), ("mtime", "1.5")])
            + Self.entry("package/short.js", "1") + Self.base
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: Data(tar + [UInt8](repeating: 0, count: 1024)))
        let scratch = try UnpackScratch()
        #expect(try TarballUnpacker().unpack(Array(gzipped.output), into: scratch.destination).fileCount == 3)
    }
}
