import Foundation
import LibArchive
import Testing
import Tarball

/// `TarballPacker` output: npm's layout, reproducible, readable by other tools.
@Suite struct PackTests {
    private let files = [
        PackFile(path: "package.json", contents: Data(#"{"name":"demo","version":"1.0.0"}"#.utf8)),
        PackFile(path: "bin/cli.js", contents: Data("#!/usr/bin/env node\n".utf8), executable: true),
        PackFile(path: "lib/index.js", contents: Data("module.exports = 42\n".utf8)),
        PackFile(path: "lib/ünïcødé.js", contents: Data("unicode\n".utf8)),
        PackFile(path: String(repeating: "deep/", count: 30) + "file.js", contents: Data("deep\n".utf8)),
        PackFile(path: "README.md", contents: Data()),
    ]

    // MARK: - Determinism

    @Test func packIsByteDeterministicAndIndependentOfInputOrder() throws {
        let first = try TarballPacker.pack(files: files)
        let second = try TarballPacker.pack(files: files)
        let shuffled = try TarballPacker.pack(files: files.reversed())
        #expect(first == second)
        #expect(first == shuffled)
        // gzip magic, deflate, no name, mtime 0: no wall-clock time leaks into the bytes.
        #expect(Array(first.prefix(8)) == [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])
    }

    @Test func packedEntriesCarryNpmMetadataInSortedOrder() throws {
        let reader = try ArchiveReader(data: try TarballPacker.pack(files: files))
        var headers: [ArchiveEntryHeader] = []
        while let header = try reader.nextEntry() { headers.append(header) }
        let paths = headers.compactMap(\.path)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(paths.count == files.count)
        for header in headers {
            #expect(header.path?.hasPrefix("package/") == true)
            #expect(header.type == .regular)
            #expect(header.modificationTime == 499_162_500)
            #expect(header.userID == 0 && header.groupID == 0)
            #expect(header.permissions == (header.path == "package/bin/cli.js" ? 0o755 : 0o644))
        }
    }

    // MARK: - Interoperability

    @Test func packRoundTripsThroughUnpack() throws {
        let scratch = try UnpackScratch()
        let summary = try TarballUnpacker().unpack(try TarballPacker.pack(files: files), into: scratch.destination)
        #expect(summary.fileCount == files.count)
        #expect(summary.unpackedSize == Int64(files.map(\.contents.count).reduce(0, +)))
        for file in files {
            let written = try Data(contentsOf: scratch.destination.appendingPathComponent(file.path))
            #expect(written == file.contents, "\(file.path)")
            #expect(try scratch.mode(file.path) == (file.executable ? 0o755 : 0o644))
        }
    }

    @Test func packedTarballIsReadableBySystemTar() throws {
        let scratch = try UnpackScratch()
        let archive = scratch.parent.appendingPathComponent("demo-1.0.0.tgz")
        try TarballPacker.pack(files: files).write(to: archive)
        let listing = try Fixture.run("tar", ["-tzvf", archive.path])
        try #require(listing.status == 0)
        let lines = String(decoding: listing.output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == files.count)
        for line in lines {
            #expect(line.contains(" package/"), "\(line)")
            // GNU tar prints "0/0 ... 1985-10-26 08:15"; bsdtar "0 0 ... Oct 26  1985".
            #expect(line.contains("1985-10-26 08:15") || line.contains("Oct 26  1985"), "\(line)")
            #expect(line.contains(" 0/0 ") || line.contains(" 0 0 "), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix("package/bin/cli.js") })
        #expect(lines.contains { $0.hasPrefix("-rw-r--r--") && $0.hasSuffix("package/lib/ünïcødé.js") })
    }

    // MARK: - Directories and validation

    @Test func packDirectorySkipsNodeModulesAndGitAndKeepsExecBit() throws {
        let scratch = try UnpackScratch()
        let root = scratch.parent.appendingPathComponent("pkg")
        let manager = FileManager.default
        for directory in ["lib", "node_modules/dep", ".git", "lib/node_modules"] {
            try manager.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try Data("{}".utf8).write(to: root.appendingPathComponent("package.json"))
        try Data("x".utf8).write(to: root.appendingPathComponent("lib/a.js"))
        try Data("#!/bin/sh".utf8).write(to: root.appendingPathComponent("lib/run.sh"))
        try manager.setAttributes([.posixPermissions: 0o750], ofItemAtPath: root.appendingPathComponent("lib/run.sh").path)
        try Data("dep".utf8).write(to: root.appendingPathComponent("node_modules/dep/index.js"))
        try Data("ref".utf8).write(to: root.appendingPathComponent(".git/HEAD"))
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("link.js").path, withDestinationPath: "lib/a.js")

        let packed = try TarballPacker.pack(directory: root)
        let expected = try TarballPacker.pack(files: [
            PackFile(path: "package.json", contents: Data("{}".utf8)),
            PackFile(path: "lib/a.js", contents: Data("x".utf8)),
            PackFile(path: "lib/run.sh", contents: Data("#!/bin/sh".utf8), executable: true),
        ])
        #expect(packed == expected)
    }

    @Test func packRejectsBadAndDuplicatePaths() throws {
        let body = Data("x".utf8)
        let cases: [(String, TarballError.Code)] = [
            ("../escape.js", .pathTraversal), ("/etc/passwd", .absolutePath), ("", .invalidPath),
            ("./", .invalidPath), ("a\u{0}b", .invalidPath),
        ]
        for (path, code) in cases {
            #expect(throws: TarballError.self) { try TarballPacker.pack(files: [PackFile(path: path, contents: body)]) }
            do { _ = try TarballPacker.pack(files: [PackFile(path: path, contents: body)]) } catch {
                #expect(error.code == code, "\(path): \(error)")
            }
        }
        do {
            _ = try TarballPacker.pack(files: [PackFile(path: "a.js", contents: body), PackFile(path: "./a.js", contents: body)])
            Issue.record("duplicate paths were accepted")
        } catch {
            #expect(error.code == .duplicatePath)
            #expect(error.message.contains("a.js"))
        }
    }
}
