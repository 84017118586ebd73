import Foundation
import Tarball
import Testing

/// Found by review: header fields that npm's tar reader (node-tar 6) decodes otherwise than
/// libarchive. In each tarball npm skipped a header, or read another name, and installed an
/// `index.js` (or ran a `postinstall`) that verify-install never wrote; two crashed the walker.
@Suite struct NodeTarReadingTests {
    typealias Walker = TarWalkerTests
    typealias Bomb = SparseHeaderBombTests

    static let evil = Walker.entry("package/index.js", "console.log('EVIL')\n")

    /// A header for `name` with `size` bytes of data, `edit` applied before the checksum is set.
    static func header(_ name: [UInt8], size: Int, type: String = "0", _ edit: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
        var block = Bomb.block([(0, name), (100, Bomb.octal(0o644, width: 8)), (124, Bomb.octal(size, width: 12)),
                                (156, Array(type.utf8)), (257, Array("ustar\u{0}00".utf8))])
        edit(&block)
        return Bomb.block([(0, block)])
    }

    @Test func aChecksumOfEightDigitsIsRefused() throws {
        // node-tar reads the checksum over 12 bytes: without a terminator, the type flag joins it.
        var block = Self.header(Array("package/README.bin".utf8), size: Self.evil.count)
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        block.replaceSubrange(148..<156, with: Array(String(format: "%08o", block.reduce(0) { $0 + Int($1) }).utf8))
        #expect(try Walker.refusal(Walker.base + block + Self.evil)?.contains("checksum field") == true)
    }

    @Test(arguments: [[0x80] + [UInt8](repeating: 0xFF, count: 11), [0x81] + [UInt8](repeating: 0, count: 11)])
    func aBase256NumberNodeTarThrowsOnIsRefused(_ mtime: [UInt8]) throws {
        let block = Self.header(Array("package/README.bin".utf8), size: Self.evil.count) { $0.replaceSubrange(136..<148, with: mtime) }
        #expect(try Walker.refusal(Walker.base + block + Self.evil)?.contains("mtime") == true)
    }

    @Test func aNameWithBytesAfterItsNULIsRefused() throws {
        // node-tar's /\0.*/ stops at a line break: "package\0\n/index.js" is "package\n/index.js" to npm.
        let longName = Walker.entry("././@LongLink", "package\u{0}\n/index.js", type: "L")
        #expect(try Walker.refusal(Walker.base + longName + Walker.entry("package/whatever", "x"))?.contains("GNU long name") == true)
        let name = Self.header(Array("package\u{0}\n/index.js".utf8), size: 0)
        #expect(try Walker.refusal(Walker.base + name)?.contains("after the end of the name") == true)
    }

    @Test func aNearUstarMagicWithAPrefixIsRefused() throws {
        // libarchive reads the prefix under any "ustar…" magic; node-tar under "ustar\000" only.
        let block = Self.header(Array("package/index.js".utf8), size: 0) {
            $0.replaceSubrange(257..<265, with: Array("ustar\u{0}xx".utf8))
            $0.replaceSubrange(345..<348, with: Array("zzz".utf8))
        }
        #expect(try Walker.refusal(Walker.base + block)?.contains("ustar magic") == true)
    }

    @Test(arguments: [("comment", "\n25 path=package/index.js"), ("path", "")])
    func paxRecordsTheReadersSplitDifferentlyAreRefused(_ key: String, _ value: String) throws {
        let tar = Walker.base + Walker.pax([(key, value)]) + Walker.entry("package/notes.txt", "x")
        #expect(try Walker.refusal(tar)?.contains("pax") == true)
        // A length with a leading zero: a record to libarchive, a key " path" to node-tar.
        let zero = Walker.entry("PaxHeader/x", "027 path=package/notes.txt\n", type: "x")
        #expect(try Walker.refusal(Walker.base + zero + Walker.entry("package/index.js", "x"))?.contains("plain decimal length") == true)
    }

    @Test func hugeSizesAreRefusedWithoutTrapping() throws {
        let size = Walker.pax([("size", "9223372036854775807")]) + Self.header(Array("package/big".utf8), size: 0)
        #expect(try Walker.refusal(Walker.base + size)?.contains("pax size") == true)
        let length = Walker.entry("PaxHeader/x", "8 uid=0\n9223372036854775807 x=y\n", type: "x")
        #expect(try Walker.refusal(Walker.base + length + Walker.entry("package/x", "x"))?.contains("plain decimal length") == true)
    }

    @Test func keysOnlyLibarchiveHonoursAreRefused() throws {
        let tar = Walker.base + Walker.pax([("SCHILY.realsize", "1")]) + Walker.entry("package/x.js", "12345")
        #expect(try Walker.refusal(tar)?.contains("'SCHILY.realsize'") == true)
    }

    @Test func aLinkNamedOnlyByAPaxRecordIsRefused() throws {
        // node-tar judges a link by its header's link name field: "linkpath required", skipped.
        let tar = Walker.base + Walker.pax([("linkpath", "index.js")]) + Walker.entry("package/l.js", type: "2")
        #expect(try Walker.refusal(tar)?.contains("link target on link entries and only there") == true)
    }

    @Test func aNonASCIIPaxPathInARecordOverABlockMustBeTheHeadersNameToo() throws {
        // node-tar may read a record over 512 bytes in two pieces; it drops a line whose UTF-8 is
        // split between them and keeps the header's name.
        let padding = ("comment", String(repeating: "c", count: 600))
        let other = Walker.pax([padding, ("path", "package/ë.js")]) + Walker.entry("package/index.js", "x")
        #expect(try Walker.refusal(Walker.base + other)?.contains("non-ASCII pax path") == true)
        let long = Walker.entry("././@LongLink", "package/" + String(repeating: "ë", count: 300) + "\u{0}", type: "L")
        #expect(try Walker.refusal(Walker.base + long + Walker.entry("package/x.js", "x"))?.contains("GNU long name") == true)
        let same = Walker.pax([padding, ("path", "package/ë.js")]) + Walker.entry("package/ë.js", "x")
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: Data(Walker.base + same + [UInt8](repeating: 0, count: 1024)))
        let scratch = try UnpackScratch()
        #expect(try TarballUnpacker().unpack(Array(gzipped.output), into: scratch.destination).fileCount == 3)
    }

    /// Found by review: npm's unpacker drops the first folder, then strips a Windows root from the
    /// whole path, and skips a path left absolute; each of these put other code at index.js.
    @Test(arguments: ["package//index.js", "C:package/index.js", "C:index.js", "\\pkg/index.js", "c:x"])
    func pathsNpmStripsOtherwiseAreRefused(_ path: String) throws {
        let tar = Walker.base + Walker.entry(path, "console.log('EVIL')\n")
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: Data(tar + [UInt8](repeating: 0, count: 1024)))
        let error = try expectRejection(Array(gzipped.output), code: .absolutePath, entry: path)
        #expect(error?.message.contains("npm's unpacker") == true, "\(String(describing: error))")
    }

    @Test func aGitignoreNamedThroughADotIsNotRenamed() throws {
        // pacote renames by the archive path's basename, which is "." here: npm writes .gitignore.
        let tar = Walker.entry("package/.npmignore", "explicit\n") + Walker.entry("package/.gitignore/.", "gitignore\n")
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: Data(tar + [UInt8](repeating: 0, count: 1024)))
        let scratch = try UnpackScratch()
        _ = try TarballUnpacker().unpack(Array(gzipped.output), into: scratch.destination)
        #expect(try scratch.contents(".npmignore") == "explicit\n")
        #expect(try scratch.contents(".gitignore") == "gitignore\n")
    }

    /// Found by review: libarchive does not check the gzip trailer or header CRC, and ignores bytes
    /// after the stream; Node's zlib refuses those, or inflates them (a zlib stream after the first
    /// member gave npm another index.js and an install script, found by a re-attack).
    @Test func gzipFramingNodeReadsOtherwiseIsRefused() throws {
        let valid = try Fixture.tarball([FixtureEntry.file("package/package.json", "{}")])
        var flipped = valid
        flipped[flipped.count - 8] ^= 0x01
        let hidden = try Fixture.run("python3", ["-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(b'x' * 1024))"]).output
        let trailer = Array(valid.suffix(8))
        for (name, tgz) in [("a flipped CRC byte", flipped), ("junk after the stream", valid + Array("trailing".utf8)),
                            ("a second gzip member", valid + Array(try Fixture.run("gzip", ["-c", "-n"], input: Data(count: 1024)).output)),
                            ("a zlib stream after the member, the trailer copied behind it", valid + Array(hidden) + [0] + trailer),
                            ("a header CRC that does not match", Self.withHeaderCRC(valid, flip: true))] {
            let error = try expectRejection(tgz, code: .corruptArchive, entry: nil)
            #expect(error?.message.contains("gzip") == true, "\(name): \(String(describing: error))")
        }
        // An extra field of 0x01FE bytes (found by a re-attack: its length was read as 0xFE).
        for tgz in [valid + [UInt8](repeating: 0, count: 100), Self.withHeaderCRC(valid, flip: false),
                    Self.withHeaderCRC(valid, flip: false, extra: 0x01FE)] {
            let scratch = try UnpackScratch()
            _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
            #expect(try scratch.contents("package.json") == "{}", "zero padding and a matching header CRC are accepted, as Node accepts them")
        }
    }

    /// `tgz` with an extra field of `extra` bytes (if any), a file name, a comment and a header CRC
    /// (flipped when `flip`) in its gzip header.
    static func withHeaderCRC(_ tgz: [UInt8], flip: Bool, extra: Int = 0) -> [UInt8] {
        precondition(tgz[3] == 0, "a plain 10-byte header")
        let field = extra > 0 ? [UInt8(extra & 0xFF), UInt8(extra >> 8)] + [UInt8](repeating: 0x41, count: extra) : []
        var header = Array(tgz.prefix(10)) + field + Array("name\u{0}comment\u{0}".utf8)
        header[3] = 0x08 | 0x10 | 0x02 | (extra > 0 ? 0x04 : 0)
        let crc = header.withUnsafeBytes { bytes -> UInt32 in
            var table = [UInt32](repeating: 0, count: 256)
            for n in 0..<256 { var c = UInt32(n); for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }; table[n] = c }
            return ~bytes.reduce(UInt32.max) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
        }
        let check = UInt16(truncatingIfNeeded: crc) ^ (flip ? 0x5555 : 0)
        return header + [UInt8(check & 0xFF), UInt8(check >> 8)] + tgz.dropFirst(10)
    }

    @Test func anInstallScriptHiddenBehindASkippedHeaderIsRefused() throws {
        let hidden = Walker.entry("package/package.json", #"{"name":"s","version":"1.0.0","scripts":{"postinstall":"echo hidden > PWNED"}}"#)
        var block = Self.header(Array("package/CHANGELOG.bin".utf8), size: hidden.count)
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        block.replaceSubrange(148..<156, with: Array(String(format: "%08o", block.reduce(0) { $0 + Int($1) }).utf8))
        let manifest = Walker.entry("package/package.json", #"{"name":"s","version":"1.0.0","scripts":{"postinstall":"echo benign"}}"#)
        #expect(try Walker.refusal(manifest + block + hidden) != nil)
    }
}
