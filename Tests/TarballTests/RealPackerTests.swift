import Foundation
import Tarball
import Testing

/// The walker refuses every header form that npm's tar reader and libarchive read apart, so it
/// must still pass what real packers write: `npm pack` (node-tar) and GNU tar in each of its
/// formats, with long, nested and non-ASCII names.
@Suite struct RealPackerTests {
    static let long = String(repeating: "nested-directory/", count: 7) + "a-file-with-a-long-name.js"
    static let files = ["package.json": #"{"name":"packed","version":"1.0.0"}"#, "index.js": "module.exports = 1\n",
                        long: "long\n", "lib/ünïcødé-名前.js": "unicode\n"]

    /// A name over 100 bytes: packers put a truncated one in the header (found by review: npm pack's
    /// output was refused), and one file dated 1960 (GNU tar writes a negative base-256 time).
    static let longNonASCII = ["lib/" + String(repeating: "日本語のファイル名", count: 5) + ".js": "long unicode\n"]

    /// A `package` folder holding `files`, under a scratch parent.
    static func source(_ scratch: UnpackScratch, files: [String: String] = files) throws -> URL {
        let root = scratch.parent.appendingPathComponent("source/package")
        for (path, text) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return root
    }

    static func expectUnpacked(_ tgz: [UInt8], _ scratch: UnpackScratch, files: [String: String] = files) throws {
        _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        for (path, text) in files { #expect(try scratch.contents(path) == text, "\(path)") }
    }

    @Test(arguments: ["gnu", "pax", "posix"])
    func longNonASCIINamesAndOldTimesUnpack(_ format: String) throws {
        let scratch = try UnpackScratch()
        let files = Self.files.merging(Self.longNonASCII) { $1 }
        let root = try Self.source(scratch, files: files)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: -315_619_200)],
                                              ofItemAtPath: root.appendingPathComponent("index.js").path)
        let tar = try Fixture.run("tar", ["--format=\(format)", "-C", root.deletingLastPathComponent().path, "-czf", "-", "package"])
        try #require(tar.status == 0)
        try Self.expectUnpacked(Array(tar.output), scratch, files: files)
    }

    @Test(arguments: ["gnu", "oldgnu", "ustar", "pax", "posix"])
    func gnuTarInEachFormatUnpacks(_ format: String) throws {
        let scratch = try UnpackScratch()
        let root = try Self.source(scratch)
        let tar = try Fixture.run("tar", ["--format=\(format)", "-C", root.deletingLastPathComponent().path, "-czf", "-", "package"])
        try #require(tar.status == 0)
        try Self.expectUnpacked(Array(tar.output), scratch)
    }

    @Test func npmPackUnpacks() throws {
        let scratch = try UnpackScratch()
        let files = Self.files.merging(Self.longNonASCII) { $1 }
        let root = try Self.source(scratch, files: files)
        let home = scratch.parent.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let packed = try Fixture.run("env", ["HOME=\(home.path)", "npm_config_update_notifier=false", "npm", "pack", root.path,
                                             "--pack-destination", home.path, "--cache", home.appendingPathComponent("cache").path,
                                             "--ignore-scripts", "--silent"])
        try #require(packed.status == 0)
        let tgz = try Data(contentsOf: home.appendingPathComponent("packed-1.0.0.tgz"))
        try Self.expectUnpacked(Array(tgz), scratch, files: files)
    }
}
