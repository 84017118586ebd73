import Foundation
import LibArchive
import Testing
import Tarball

/// Resource limits and damaged input: refused while streaming, nothing left behind.
@Suite struct UnpackLimitTests {
    private let manifest = FixtureEntry.file("package/package.json", #"{"name":"big","version":"1.0.0"}"#)

    // MARK: - Limits

    @Test func rejectsFileOverPerEntryCap() throws {
        let tgz = try Fixture.tarball([manifest, .bytes("package/huge.bin", Fixture.noise(count: 4096))])
        try expectRejection(tgz, code: .entryTooLarge, entry: "package/huge.bin",
                            limits: TarballLimits(maxEntryBytes: 1024))
    }

    @Test func rejectsTotalOverCap() throws {
        let tgz = try Fixture.tarball([
            manifest,
            .bytes("package/a.bin", Fixture.noise(count: 4000, seed: 1)),
            .bytes("package/b.bin", Fixture.noise(count: 4000, seed: 2)),
            .bytes("package/c.bin", Fixture.noise(count: 4000, seed: 3)),
        ])
        try expectRejection(tgz, code: .tooLarge, entry: "package/c.bin",
                            limits: TarballLimits(maxTotalBytes: 10_000))
    }

    @Test func rejectsMoreEntriesThanCap() throws {
        let files = (1...6).map { FixtureEntry.file("package/f\($0).js", "\($0)") }
        let tgz = try Fixture.tarball(files)
        try expectRejection(tgz, code: .tooManyEntries, entry: "package/f6.js", limits: TarballLimits(maxEntries: 5))
    }

    @Test func rejectsCompressedInputOverCap() throws {
        let tgz = try Fixture.tarball([manifest, .bytes("package/a.bin", Fixture.noise(count: 8192))])
        try expectRejection(tgz, code: .tooLarge, entry: nil, limits: TarballLimits(maxCompressedBytes: 4096))
    }

    @Test func countsDataOfSkippedEntriesTowardsTotal() throws {
        // The .gitignore is skipped (an .npmignore came first), but its bytes still had to be
        // inflated, so they count: without them the later file would fit.
        let tgz = try Fixture.tarball([
            .file("package/.npmignore", "x"),
            .bytes("package/.gitignore", Fixture.noise(count: 5000, seed: 4)),
            .bytes("package/a.bin", Fixture.noise(count: 6000, seed: 5)),
        ])
        try expectRejection(tgz, code: .tooLarge, entry: "package/a.bin", limits: TarballLimits(maxTotalBytes: 10_000))
    }

    @Test func countsHeaderRecordsTowardsTheStreamCap() throws {
        // Empty files under long names: each pax record is kilobytes of tar stream and no data, so
        // only the stream cap sees them (a hostile package pads such records to a megabyte each).
        let folder = (1...10).map { "d\($0)-" + String(repeating: "x", count: 200) }.joined(separator: "/")
        let files = (1...20).map { FixtureEntry.file("package/\(folder)/f\($0)", "") }
        let tgz = try Fixture.tarball([manifest] + files)
        let error = try expectRejection(tgz, code: .tooLarge, entry: nil, limits: TarballLimits(maxTotalBytes: 10_000, maxStreamBytes: 40_000))
        #expect(error?.message.contains("expected a tar stream of at most 40000 bytes") == true, "\(String(describing: error))")
        let scratch = try UnpackScratch()
        #expect(try TarballUnpacker().unpack(tgz, into: scratch.destination).fileCount == 21)
    }

    // MARK: - Damaged input

    @Test func rejectsTruncatedGzip() throws {
        let tgz = try Fixture.tarball([manifest, .bytes("package/big.bin", Fixture.noise(count: 200_000))])
        let error = try expectRejection(Array(tgz.prefix(tgz.count / 2)), code: .corruptArchive, entry: "package/big.bin")
        #expect(error?.message.lowercased().contains("truncated") == true, "\(String(describing: error))")
    }

    @Test func rejectsCorruptGzip() throws {
        let text = (0..<4000).map { "line \($0): module.exports = require('./lib/\($0 % 17)')\n" }.joined()
        var tgz = try Fixture.tarball([manifest, .file("package/index.js", text)])
        let middle = tgz.count / 2
        for index in middle..<(middle + 64) { tgz[index] = 0xFF }
        try expectRejection(tgz, code: .corruptArchive, entry: nil)
    }

    @Test func rejectsNonTarball() throws {
        let error = try expectRejection(Fixture.noise(count: 3000), code: .corruptArchive, entry: nil)
        #expect(error?.entry == nil)
        #expect(error?.message.contains("tar") == true, "\(String(describing: error))")
    }

    @Test func rejectsGzippedNonTarball() throws {
        let plain = Data(String(repeating: "this is not a tar archive\n", count: 200).utf8)
        let gzipped = try Fixture.run("gzip", ["-c", "-n"], input: plain)
        try #require(gzipped.status == 0)
        try expectRejection(Array(gzipped.output), code: .corruptArchive, entry: nil)
    }
}
