import Foundation
import Tarball
import Testing

/// An old GNU sparse header (`S`) may chain any number of 512-byte extension blocks, which
/// libarchive reads inside one header call, growing a list by two bytes per byte read: a 6 MB
/// tarball took 3.1 GB before any check between calls could run (found by review). The reader
/// now checks its caps while libarchive reads.
@Suite struct SparseHeaderBombTests {
    /// A 512-byte tar header block with `fields` (offset, bytes) written in and its checksum set.
    static func block(_ fields: [(Int, [UInt8])]) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        for (offset, bytes) in fields { block.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = block.reduce(0) { $0 + Int($1) }
        block.replaceSubrange(148..<156, with: Array(String(format: "%06o\0 ", sum).utf8))
        return block
    }

    static func octal(_ value: Int, width: Int) -> [UInt8] { Array(String(format: "%0\(width - 1)o", value).utf8) + [0] }

    /// `package/package.json`, then a sparse entry whose extension blocks take `extensionBytes`,
    /// with varying offsets so that gzip cannot shrink them much.
    static func tarball(extensionBytes: Int) throws -> [UInt8] {
        let manifest = Array(#"{"name":"s","version":"1.0.0"}"#.utf8)
        var tar = block([(0, Array("package/package.json".utf8)), (100, octal(0o644, width: 8)), (124, octal(manifest.count, width: 12)),
                         (156, Array("0".utf8)), (257, Array("ustar\u{0}00".utf8))])
        tar += manifest + [UInt8](repeating: 0, count: 512 - manifest.count)
        tar += block([(0, Array("package/x".utf8)), (100, octal(0o644, width: 8)), (124, octal(0, width: 12)), (156, Array("S".utf8)),
                      (257, Array("ustar  \u{0}".utf8)), (386, octal(1, width: 12)), (398, octal(0, width: 12)),
                      (482, [1]), (483, octal(1, width: 12))])
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0..<(extensionBytes / 512) {
            var more = [UInt8](repeating: 0, count: 512)
            for entry in 0..<21 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                more.replaceSubrange(entry * 24..<entry * 24 + 12, with: octal(Int(state >> 40), width: 12))
                more.replaceSubrange(entry * 24 + 12..<entry * 24 + 24, with: octal(0, width: 12))
            }
            more[504] = index == extensionBytes / 512 - 1 ? 0 : 1
            tar += more
        }
        tar += [UInt8](repeating: 0, count: 1024)
        let gzipped = try Fixture.run("gzip", ["-c", "-n", "-9"], input: Data(tar))
        try #require(gzipped.status == 0)
        return Array(gzipped.output)
    }

    /// The walker refuses the header block (its GNU sparse fields), whatever the caps that would
    /// stop it next (a header cap alone, or none but a stream cap).
    @Test(arguments: [TarballLimits(maxHeaderBytes: 256 << 10),
                      TarballLimits(maxStreamBytes: 1 << 20, maxHeaderBytes: .max, maxExtraHeaderBytes: .max)])
    func anOldGNUSparseHeaderIsRefusedBeforeItsExtensionBlocksAreRead(limits: TarballLimits) throws {
        let tgz = try Self.tarball(extensionBytes: 4 << 20)
        let error = try expectRejection(tgz, code: .corruptArchive, entry: nil, limits: limits)
        #expect(error?.message.contains("GNU sparse fields") == true, "\(String(describing: error))")
    }

    /// The caps are checked as raw input arrives; a second gzip layer multiplied what 8 KiB expands
    /// to between two checks (three layers: 1.6 KB took 1 GB), so only one layer is read.
    @Test func aTarballGzippedTwiceIsRefused() throws {
        let twice = try Fixture.run("gzip", ["-c", "-n"], input: Data(try Self.tarball(extensionBytes: 4096)))
        try #require(twice.status == 0)
        let error = try expectRejection(Array(twice.output), code: .corruptArchive, entry: nil)
        #expect(error?.message.contains("compressed more than once") == true, "\(String(describing: error))")
    }

    /// pax records are bounded across the archive too: libarchive parses some (an ACL of named
    /// users) in quadratic time, so many records just under the per-header cap add up.
    @Test func paxRecordsAreBoundedAcrossTheArchive() throws {
        let folder = (1...10).map { "d\($0)-" + String(repeating: "x", count: 200) }.joined(separator: "/")
        let files = (1...20).map { FixtureEntry.file("package/\(folder)/f\($0)", "") }
        let tgz = try Fixture.tarball([FixtureEntry.file("package/package.json", "{}")] + files)
        let error = try expectRejection(tgz, code: .tooLarge, entry: nil, limits: TarballLimits(maxExtraHeaderBytes: 10_000))
        #expect(error?.message.contains("bytes of pax and GNU records in the whole archive") == true, "\(String(describing: error))")
    }

    /// An inner gzip header whose file name never ends: libarchive's filter detection read it into
    /// memory without bound (4 MB of tarball took 8 GB). No detection runs on inflated bytes now.
    @Test func anInnerGzipHeaderIsRefusedBeforeItsNameIsRead() throws {
        let inner = Data([0x1F, 0x8B, 0x08, 0x08, 0, 0, 0, 0, 0, 0]) + Data(repeating: 0x41, count: 1 << 20)
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: inner)
        try #require(gzipped.status == 0)
        let error = try expectRejection(Array(gzipped.output), code: .corruptArchive, entry: nil)
        #expect(error?.message.contains("compressed more than once") == true, "\(String(describing: error))")
    }

    /// npm's reader (node-tar) refuses an archive with no entries, and writes a sparse file's raw
    /// map under another name where libarchive rebuilds it: neither is installed.
    @Test func anArchiveWithoutEntriesOrWithASparseFileIsRefused() throws {
        let empty = try Fixture.run("gzip", ["-c", "-n"], input: Data(repeating: 0, count: 1024))
        try #require(empty.status == 0)
        #expect(try expectRejection(Array(empty.output), code: .corruptArchive, entry: nil)?.message.contains("found none") == true)

        let folder = try UnpackScratch().parent.appendingPathComponent("sparse-source")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("package"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("package/index.js")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seek(toOffset: 4 << 20)
        try handle.write(contentsOf: Data("module.exports = 1\n".utf8))
        try handle.close()
        let tar = try Fixture.run("tar", ["--sparse", "--format=pax", "-C", folder.path, "-czf", "-", "package"])
        try #require(tar.status == 0)
        let error = try expectRejection(Array(tar.output), code: .corruptArchive, entry: nil)
        #expect(error?.message.contains("GNU sparse records") == true, "\(String(describing: error))")
        // Without any hole: GNU.sparse.name alone renames the entry for libarchive, never for npm.
        let record = Array("36 GNU.sparse.name=package/index.js\n".utf8)
        let body = Array("module.exports = 1\n".utf8)
        let paxHeader = Self.block([(0, Array("PaxHeader/r".utf8)), (100, Self.octal(0o644, width: 8)),
                                    (124, Self.octal(record.count, width: 12)), (156, Array("x".utf8)), (257, Array("ustar\u{0}00".utf8))])
        let fileHeader = Self.block([(0, Array("package/README.md".utf8)), (100, Self.octal(0o644, width: 8)),
                                     (124, Self.octal(body.count, width: 12)), (156, Array("0".utf8)), (257, Array("ustar\u{0}00".utf8))])
        var paxTar: [UInt8] = paxHeader
        paxTar += record
        paxTar += [UInt8](repeating: 0, count: 512 - record.count)
        paxTar += fileHeader
        paxTar += body
        paxTar += [UInt8](repeating: 0, count: 512 - body.count + 1024)
        let renamed = try Fixture.run("gzip", ["-c", "-n"], input: Data(paxTar))
        try #require(renamed.status == 0)
        #expect(try expectRejection(Array(renamed.output), code: .corruptArchive, entry: nil)?.message.contains("GNU sparse records") == true)
    }

    /// A gzip header's file name without its NUL made libarchive hold the whole tarball while
    /// reading ahead for it, a byte at a time; a later member's made it stop without an error.
    @Test func aGzipHeaderFieldWithoutItsEndIsRefused() throws {
        let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x08, 0, 0, 0, 0, 0, 3]
        let error = try expectRejection(header + [UInt8](repeating: 0x41, count: 2 << 20), code: .corruptArchive, entry: nil)
        #expect(error?.message.contains("gzip header fields") == true, "\(String(describing: error))")
        let valid = try Fixture.tarball([FixtureEntry.file("package/package.json", "{}")])
        let trailing = try expectRejection(valid + header + [UInt8](repeating: 0x41, count: 2 << 20), code: .corruptArchive, entry: nil)
        #expect(trailing?.message.contains("gzip header fields") == true, "\(String(describing: trailing))")
    }
}
