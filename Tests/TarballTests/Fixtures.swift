import ChildProcess
import FixtureTesting
import Foundation
import Synchronization
import LibArchive
import Testing
import Tarball

// MARK: - Building archives in tests

/// One entry for a test archive: its header and the data written after it.
struct FixtureEntry {
    var spec: ArchiveEntrySpec
    var contents: [UInt8] = []

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644) -> FixtureEntry {
        bytes(path, Array(text.utf8), mode: mode)
    }

    static func bytes(_ path: String, _ contents: [UInt8], mode: UInt32 = 0o644) -> FixtureEntry {
        FixtureEntry(spec: ArchiveEntrySpec(path: path, permissions: mode, size: Int64(contents.count)), contents: contents)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> FixtureEntry {
        FixtureEntry(spec: ArchiveEntrySpec(path: path, type: .directory, permissions: mode))
    }

    static func symlink(_ path: String, to target: String) -> FixtureEntry {
        FixtureEntry(spec: ArchiveEntrySpec(path: path, type: .symlink, permissions: 0o777, linkTarget: target))
    }

    static func hardlink(_ path: String, to target: String) -> FixtureEntry {
        FixtureEntry(spec: ArchiveEntrySpec(path: path, type: .hardlink, linkTarget: target))
    }

    static func special(_ path: String, _ type: ArchiveEntryType, major: UInt32 = 0, minor: UInt32 = 0) -> FixtureEntry {
        FixtureEntry(spec: ArchiveEntrySpec(path: path, type: type, permissions: 0o666, deviceMajor: major, deviceMinor: minor))
    }
}

enum Fixture {
    /// Writes `entries` verbatim with the LibArchive writer.
    static func tarball(_ entries: [FixtureEntry], format: ArchiveWriter.Format = .paxRestricted,
                        compression: ArchiveWriter.Compression = .gzip(level: 6)) throws -> [UInt8] {
        let writer = try ArchiveWriter(format: format, compression: compression)
        for entry in entries { try writer.writeEntry(entry.spec, contents: entry.contents) }
        return try writer.finish()
    }

    /// Deterministic, poorly compressible bytes.
    static func noise(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// Runs a command-line tool and returns its exit status and standard output.
    ///
    /// Synchronous (the callers are): it blocks the calling thread while the tool runs, which is
    /// harmless here (no in-process server must answer it). stdout is drained by ChildProcess's
    /// reader thread while `input` is written, so neither side can fill its pipe and stall.
    static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, output: Data) {
        let collected = Mutex([UInt8]())
        let child = try ChildProcess.spawn(
            "/usr/bin/env", [tool] + arguments,
            environment: ["TZ": "UTC", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin:/usr/local/bin"],
            input: .pipe,
            output: .pipe { event in
                if case .data(let bytes) = event { collected.withLock { $0 += bytes } }
            },
            error: .inherit)
        if let input { try? child.standardInput?.write(Array(input)) }  // EPIPE: the tool stopped reading; its status tells
        child.standardInput?.close()
        let termination = child.waitBlocking()
        child.waitForOutputBlocking()
        return (termination.status, Data(collected.withLock { $0 }))
    }
}

// MARK: - Scratch directories

/// A private temporary parent holding the unpack destination and an unrelated sibling folder
/// whose contents must survive any failed unpack.
final class UnpackScratch {
    let parent: URL
    let destination: URL
    let sibling: URL
    static let siblingText = "sibling data that must survive"

    init() throws {
        parent = Scratch.path("tarball-tests")
        destination = parent.appendingPathComponent("dest")
        sibling = parent.appendingPathComponent("sibling")
        try FileManager.default.createDirectory(at: sibling, withIntermediateDirectories: true)
        try Data(Self.siblingText.utf8).write(to: sibling.appendingPathComponent("keep.txt"))
    }

    deinit { Scratch.remove(parent) }

    var siblingIsUnchanged: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sibling.path)) ?? []
        let text = (try? String(contentsOf: sibling.appendingPathComponent("keep.txt"), encoding: .utf8)) ?? ""
        return names == ["keep.txt"] && text == Self.siblingText
    }

    var destinationExists: Bool { FileManager.default.fileExists(atPath: destination.path) }

    func contents(_ relative: String) throws -> String {
        try String(contentsOf: destination.appendingPathComponent(relative), encoding: .utf8)
    }

    func mode(_ relative: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: destination.appendingPathComponent(relative).path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func exists(_ relative: String) -> Bool {
        var info = stat()
        return lstat(destination.appendingPathComponent(relative).path, &info) == 0
    }
}

// MARK: - Assertions

/// Unpacks `tgz` expecting failure with `code`; checks the message names `entry`, the destination
/// is gone and the sibling folder untouched. Returns the error for further checks.
@discardableResult
func expectRejection(_ tgz: [UInt8], code: TarballError.Code, entry: String?, limits: TarballLimits = .default,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> TarballError? {
    let scratch = try UnpackScratch()
    let unpacker = TarballUnpacker(limits: limits)
    var caught: TarballError?
    do {
        _ = try unpacker.unpack(tgz, into: scratch.destination)
        Issue.record("expected \(code) but the unpack succeeded", sourceLocation: sourceLocation)
    } catch {
        caught = error
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let entry {
            #expect(error.entry == entry, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(entry), "\(error)", sourceLocation: sourceLocation)
        }
    }
    #expect(!scratch.destinationExists, "destination must be removed", sourceLocation: sourceLocation)
    #expect(scratch.siblingIsUnchanged, "sibling folder must be untouched", sourceLocation: sourceLocation)
    return caught
}
