import Foundation
import LibArchive
import Testing
import Tarball

/// Well-formed archives unpack to what npm would put on disk.
@Suite struct UnpackTests {
    // MARK: - npm semantics

    @Test func unpacksNpmShapedTarballWithStrippedPathsAndNormalisedModes() throws {
        let scratch = try UnpackScratch()
        let entries: [FixtureEntry] = [
            .directory("package/lib", mode: 0o700),
            .file("package/package.json", #"{"name":"demo","bin":{"tool":"bin/tool"}}"#, mode: 0o664),
            .file("package/lib/index.js", "module.exports = 1\n", mode: 0o600),
            .file("package/lib/util/deep.js", "deep\n", mode: 0o444),
            .file("package/bin/cli.js", "#!/usr/bin/env node\n", mode: 0o755),
            .file("package/bin/tool", "#!/bin/sh\n", mode: 0o644),
            .file("package/setuid", "s", mode: 0o4755),
            .file("package/owner-exec", "o", mode: 0o700),
        ]
        let tgz = try Fixture.tarball(entries)
        let summary = try TarballUnpacker().unpack(tgz, into: scratch.destination, executablePaths: ["./bin/tool"])

        let expectedSize = Int64(entries.map(\.contents.count).reduce(0, +))
        #expect(summary == UnpackSummary(fileCount: 7, unpackedSize: expectedSize, skippedLinks: [], directoryCount: 3))  // lib, lib/util, bin
        #expect(try scratch.contents("lib/index.js") == "module.exports = 1\n")
        #expect(try scratch.mode("package.json") == 0o644)
        #expect(try scratch.mode("lib/index.js") == 0o644)
        #expect(try scratch.mode("lib/util/deep.js") == 0o644)
        #expect(try scratch.mode("bin/cli.js") == 0o755)
        #expect(try scratch.mode("bin/tool") == 0o755)
        #expect(try scratch.mode("setuid") == 0o755, "setuid is dropped, unlike npm")
        #expect(try scratch.mode("owner-exec") == 0o744, "pacote: ((0o700 | 0o666) & ~0o022) | 0o600")
        #expect(try scratch.mode("lib") == 0o755)
        #expect(try scratch.mode("lib/util") == 0o755)
        #expect(try scratch.mode(".") == 0o755)
        #expect(!scratch.exists("package"))
    }

    @Test func stripsFirstComponentWhateverItIsNamed() throws {
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([
            .directory("node-v20.0.0/"),
            .file("node-v20.0.0", "the root itself as a file is skipped"),
            .file("./node-v20.0.0/a.txt", "dot-prefixed"),
            .file("node-v20.0.0/b/./c.txt", "odd separators"),
        ])
        let summary = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(summary.fileCount == 2)
        #expect(try scratch.contents("node-v20.0.0/a.txt") == "dot-prefixed")
        #expect(try scratch.contents("b/c.txt") == "odd separators")
        // An empty second component (`node-v20.0.0//b`) is refused: npm's unpacker skips it.
    }

    @Test func skipsInPackageLinksAndReportsThem() throws {
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([
            .file("package/lib/index.js", "index"),
            .symlink("package/link.js", to: "lib/index.js"),
            .symlink("package/lib/self", to: "../lib/./index.js"),
            .hardlink("package/hard.js", to: "package/lib/index.js"),
        ])
        let summary = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(summary.skippedLinks == ["link.js", "lib/self", "hard.js"])
        #expect(summary.fileCount == 1)
        #expect(!scratch.exists("link.js"))
        #expect(!scratch.exists("lib/self"))
        #expect(!scratch.exists("hard.js"))
    }

    @Test func doesNotFollowSkippedSymlinkWhenWritingThroughIt() throws {
        // npm skips links, so a later file "through" an in-package link lands in a real directory.
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([
            .file("package/target/keep.txt", "keep"),
            .symlink("package/alias", to: "target"),
            .file("package/alias/new.txt", "new"),
        ])
        _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(try scratch.contents("alias/new.txt") == "new")
        #expect(!scratch.exists("target/new.txt"))
    }

    @Test func renamesGitignoreToNpmignoreUnlessOneExists() throws {
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([
            .file("package/.gitignore", "from gitignore"),
            .file("package/kept/.npmignore", "explicit"),
            .file("package/kept/.gitignore", "dropped"),
            .file("package/late/.gitignore", "renamed first"),
            .file("package/late/.npmignore", "explicit wins"),
        ])
        let summary = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(try scratch.contents(".npmignore") == "from gitignore")
        #expect(try scratch.contents("kept/.npmignore") == "explicit")
        #expect(try scratch.contents("late/.npmignore") == "explicit wins")
        #expect(!scratch.exists(".gitignore") && !scratch.exists("kept/.gitignore") && !scratch.exists("late/.gitignore"))
        #expect(summary.fileCount == 3)
        // pacote compares the archive's own paths: another top folder's .gitignore is renamed and
        // replaces the .npmignore, as npm writes it.
        let other = try UnpackScratch()
        let twoTops = try Fixture.tarball([.file("package/.npmignore", "npmignore"), .file("other/.gitignore", "gitignore")])
        _ = try TarballUnpacker().unpack(twoTops, into: other.destination)
        #expect(try other.contents(".npmignore") == "gitignore")
    }

    /// Found by review: an unpack that started after an interrupt removed the staging folder made
    /// it again, and it outlived the run. An installer says parents must already exist.
    @Test func aRemovedFolderIsNotMadeAgainWhenParentsMustExist() throws {
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([.file("package/a.js", "a")])
        let removed = scratch.parent.appendingPathComponent("staging")
        #expect(throws: TarballError.self) {
            try TarballUnpacker(createsParents: false).unpack(tgz, into: removed.appendingPathComponent("unpacked/0"))
        }
        #expect(!FileManager.default.fileExists(atPath: removed.path))
    }

    @Test func laterDuplicateEntryOverwritesEarlierOne() throws {
        let scratch = try UnpackScratch()
        let tgz = try Fixture.tarball([
            .file("package/dup.js", "first, longer contents", mode: 0o755),
            .file("package/dup.js", "second"),
        ])
        let summary = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(try scratch.contents("dup.js") == "second")
        #expect(try scratch.mode("dup.js") == 0o644)
        #expect(summary == UnpackSummary(fileCount: 1, unpackedSize: 6, skippedLinks: []))
    }

    // MARK: - Header dialects

    @Test(arguments: [ArchiveWriter.Format.pax, .paxRestricted, .gnuTar])
    func unpacksLongAndNonASCIINames(format: ArchiveWriter.Format) throws {
        let scratch = try UnpackScratch()
        let long = String(repeating: "nested-directory-name/", count: 12) + "file-with-a-long-name.js"
        let tgz = try Fixture.tarball([
            .file("package/" + long, "long"),
            .file("package/lib/ünïcødé-名前.js", "unicode"),
        ], format: format)
        _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(try scratch.contents(long) == "long")
        #expect(try scratch.contents("lib/ünïcødé-名前.js") == "unicode")
    }

    @Test func unpacksUncompressedTarAndDataInput() throws {
        let scratch = try UnpackScratch()
        let tar = try Fixture.tarball([.file("package/a.txt", "plain")], compression: .none)
        let summary = try TarballUnpacker().unpack(Data(tar), into: scratch.destination)
        #expect(summary.fileCount == 1)
        #expect(try scratch.contents("a.txt") == "plain")
    }
}
