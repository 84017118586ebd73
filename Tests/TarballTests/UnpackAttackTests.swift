import Foundation
import LibArchive
import Testing
import Tarball

/// Hostile archives: each must fail with the right code, name the entry, and leave nothing behind.
@Suite struct UnpackAttackTests {
    private let manifest = FixtureEntry.file("package/package.json", #"{"name":"evil","version":"1.0.0"}"#)

    // MARK: - Paths

    @Test func rejectsParentDirectoryPath() throws {
        let tgz = try Fixture.tarball([manifest, .file("../x", "pwned")])
        try expectRejection(tgz, code: .pathTraversal, entry: "../x")
    }

    @Test func rejectsAbsolutePath() throws {
        let tgz = try Fixture.tarball([manifest, .file("/abs", "pwned")])
        try expectRejection(tgz, code: .absolutePath, entry: "/abs")
    }

    @Test func rejectsNestedTraversal() throws {
        let tgz = try Fixture.tarball([manifest, .file("package/a/../../x", "pwned")])
        try expectRejection(tgz, code: .pathTraversal, entry: "package/a/../../x")
    }

    /// `/` followed by a combining mark, or after a prepended mark, is one Swift Character: a
    /// Character split would see no `..` component, yet the kernel splits on the byte.
    @Test(arguments: ["\u{0301}", "\u{0600}", "\u{0301}\u{0600}"])
    func rejectsTraversalHiddenInGraphemeClusters(_ mark: String) throws {
        let up = "../\(mark)//../\(mark)/../"
        let path = "package/" + String(repeating: up, count: 3) + "PWNED"
        let tgz = try Fixture.tarball([manifest, .file(path, "pwned")])
        try expectRejection(tgz, code: .pathTraversal, entry: path)
    }

    @Test func rejectsAnAbsolutePathHiddenInAGraphemeCluster() throws {
        let tgz = try Fixture.tarball([manifest, .file("/\u{0301}x/y.js", "pwned")])
        try expectRejection(tgz, code: .absolutePath, entry: "/\u{0301}x/y.js")
    }

    /// Paths are bytes: a Kelvin sign is not a `K`, so each file lands in the folder its entry names.
    @Test func unicodeEquivalentFoldersStayApart() throws {
        let tgz = try Fixture.tarball([manifest, .file("package/K/index.js", "plain"), .file("package/\u{212A}/index.js", "kelvin")])
        let scratch = try UnpackScratch()
        _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        #expect(try String(contentsOf: scratch.destination.appendingPathComponent("K/index.js"), encoding: .utf8) == "plain")
        #expect(try String(contentsOf: scratch.destination.appendingPathComponent("\u{212A}/index.js"), encoding: .utf8) == "kelvin")
    }

    @Test func rejectsLinkTargetsDeeperThanTheComponentLimit() throws {
        let target = String(repeating: "a/", count: 70)
        let tgz = try Fixture.tarball([manifest, .symlink("package/deep", to: target)])
        try expectRejection(tgz, code: .pathTooLong, entry: "package/deep")
    }

    /// Chained links that each re-expand deep targets: the archive's link resolution has a budget.
    @Test func linkResolutionWorkIsBounded() throws {
        var entries = [manifest]
        for hop in 0..<39 {
            let down = String(repeating: "a/", count: 30), up = String(repeating: "../", count: 30)
            entries.append(.symlink("package/l\(hop)", to: down + up + "l\(hop + 1)"))
        }
        entries.append(.symlink("package/l39", to: "x"))
        for copy in 0..<2_000 { entries.append(.symlink("package/c\(copy)", to: "l0")) }
        let tgz = try Fixture.tarball(entries)
        let error = try expectRejection(tgz, code: .linkEscape, entry: nil)
        #expect(error?.message.contains("walks more than") == true, "\(String(describing: error))")
    }

    @Test func rejectsPathsDeeperThanTheComponentLimit() throws {
        let path = "package/" + String(repeating: "d/", count: 64) + "f.js"
        let tgz = try Fixture.tarball([manifest, .file(path, "x")])
        let error = try expectRejection(tgz, code: .pathTooLong, entry: path)
        #expect(error?.message.contains("64 components") == true)
    }

    @Test func directoriesCreatedForAnEntryCountAgainstTheEntryLimit() throws {
        let tgz = try Fixture.tarball([manifest, .file("package/a/b/c/d/e/f.js", "x")])
        try expectRejection(tgz, code: .tooManyEntries, entry: "package/a/b/c/d/e/f.js", limits: TarballLimits(maxEntries: 5))
        let scratch = try UnpackScratch()
        _ = try TarballUnpacker(limits: TarballLimits(maxEntries: 7)).unpack(tgz, into: scratch.destination)
    }

    @Test func rejectsOverlongPath() throws {
        let path = "package/" + String(repeating: "d/", count: 2100) + "f.js"
        let tgz = try Fixture.tarball([manifest, .file(path, "x")])
        try expectRejection(tgz, code: .pathTooLong, entry: path)
    }

    // MARK: - Links

    @Test func rejectsSymlinkEscapingPackage() throws {
        let tgz = try Fixture.tarball([manifest, .symlink("package/lib/etc", to: "../../etc")])
        try expectRejection(tgz, code: .linkEscape, entry: "package/lib/etc")
    }

    @Test func rejectsSymlinkToRootFollowedByWriteThroughIt() throws {
        let tgz = try Fixture.tarball([
            manifest,
            .symlink("package/root", to: "/"),
            .file("package/root/tmp/pwned.txt", "written through the link"),
        ])
        try expectRejection(tgz, code: .linkEscape, entry: "package/root")
    }

    @Test func rejectsSymlinkChainEscaping() throws {
        // Each target looks harmless alone: dir/up -> .. is the package root, and up/.. reads as
        // "dir". Followed through the chain, dir/esc is the package's parent.
        let tgz = try Fixture.tarball([
            manifest,
            .symlink("package/dir/up", to: ".."),
            .symlink("package/dir/esc", to: "up/.."),
        ])
        try expectRejection(tgz, code: .linkEscape, entry: "package/dir/esc")
    }

    @Test func rejectsSymlinkChainEscapingDeclaredOutOfOrder() throws {
        let tgz = try Fixture.tarball([
            manifest,
            .symlink("package/dir/esc", to: "up/.."),
            .symlink("package/dir/up", to: ".."),
        ])
        try expectRejection(tgz, code: .linkEscape, entry: "package/dir/esc")
    }

    @Test(arguments: ["/etc/passwd", "../outside", "package/../../outside"])
    func rejectsHardlinkToOutside(target: String) throws {
        let tgz = try Fixture.tarball([manifest, .hardlink("package/passwd", to: target)])
        try expectRejection(tgz, code: .linkEscape, entry: "package/passwd")
    }

    // MARK: - Special files

    @Test func rejectsCharacterDevice() throws {
        let tgz = try Fixture.tarball([manifest, .special("package/null", .characterDevice, major: 1, minor: 3)])
        let error = try expectRejection(tgz, code: .deviceEntry, entry: "package/null")
        #expect(error?.message.contains("character device") == true)
    }

    @Test func rejectsBlockDevice() throws {
        let tgz = try Fixture.tarball([manifest, .special("package/sda", .blockDevice, major: 8, minor: 0)])
        let error = try expectRejection(tgz, code: .deviceEntry, entry: "package/sda")
        #expect(error?.message.contains("block device") == true)
    }

    @Test func rejectsFifo() throws {
        let tgz = try Fixture.tarball([manifest, .special("package/pipe", .fifo)])
        try expectRejection(tgz, code: .fifoEntry, entry: "package/pipe")
    }

    // MARK: - Existing destination

    @Test func refusesExistingDestinationAndLeavesItAlone() throws {
        let scratch = try UnpackScratch()
        try FileManager.default.createDirectory(at: scratch.destination, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: scratch.destination.appendingPathComponent("own.txt"))
        let tgz = try Fixture.tarball([manifest])
        #expect(throws: TarballError.self) { try TarballUnpacker().unpack(tgz, into: scratch.destination) }
        do {
            _ = try TarballUnpacker().unpack(tgz, into: scratch.destination)
        } catch {
            #expect(error.code == .destinationExists)
        }
        #expect(try scratch.contents("own.txt") == "mine")
        #expect(scratch.siblingIsUnchanged)
    }
}
