import FixtureTesting
import Foundation
import Integrity
@testable import Installer
import Testing

/// Cache entries are read only when they are regular files under the size cap; links, FIFOs
/// and oversize files are discarded unread (a FIFO must not hang the install, a link must not
/// make the cache read files elsewhere).
@Suite struct ContentCacheHardeningTests {
    let bytes = Data("cached tarball bytes".utf8)
    var integrity: SubresourceIntegrity { SubresourceIntegrity.of(bytes) }

    func cache(maxEntryBytes: Int = 1024) throws -> (ContentCache, URL) {
        let root = try Scratch.folder("cache")
        let cache = ContentCache(root: root, maxEntryBytes: maxEntryBytes)
        cache.write(try VerifiedBytes.verify(bytes, against: integrity, subject: "x@1.0.0", source: "test"))
        let entry = cache.path(for: integrity.strongestHashes[0])
        #expect(FileManager.default.fileExists(atPath: entry.path))
        return (cache, entry)
    }

    @Test func regularEntryIsReadAndVerified() throws {
        let (cache, _) = try cache()
        let (verified, discarded) = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
        guard case .file(let staging)? = verified?.content else { Issue.record("expected a verified staging copy"); return }
        #expect(try Data(contentsOf: staging) == bytes && discarded == nil)
        #expect(staging.lastPathComponent == "staging.tgz", "only the private copy is handed on")
    }

    @Test func symlinkedEntryIsDiscardedNotFollowed() throws {
        let (cache, entry) = try cache()
        let elsewhere = entry.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("outside")
        try bytes.write(to: elsewhere)
        try FileManager.default.removeItem(at: entry)
        try FileManager.default.createSymbolicLink(at: entry, withDestinationURL: elsewhere)

        let (verified, discarded) = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
        #expect(verified == nil && discarded?.contains(entry.path) == true && discarded?.contains("not a regular file") == true)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: entry.path)) == nil)
        #expect(FileManager.default.fileExists(atPath: elsewhere.path))
    }

    @Test func symlinkedFolderIsNotFollowed() throws {
        let (cache, entry) = try cache()
        let folder = entry.deletingLastPathComponent()
        let moved = cache.root.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: folder, to: moved)
        try FileManager.default.createSymbolicLink(at: folder, withDestinationURL: moved)
        #expect(cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz")).0 == nil)
    }

    @Test func fifoEntryIsDiscardedWithoutBlocking() async throws {
        let (cache, entry) = try cache()
        try FileManager.default.removeItem(at: entry)
        #expect(mkfifo(entry.path, 0o644) == 0)

        let finished = DispatchSemaphore(value: 0)
        let result = ReadBox()
        Thread.detachNewThread {
            result.value = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
            finished.signal()
        }
        let blocked = finished.wait(timeout: .now() + 5) == .timedOut
        if blocked {
            // Unblock the reader (opening the write end and closing it gives it EOF).
            let writer = open(entry.path, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            finished.wait()
        }
        #expect(!blocked, "reading a FIFO in the cache blocked")
        #expect(result.value?.0 == nil && result.value?.discarded != nil)
    }

    @Test func oversizeEntryIsDiscardedUnread() throws {
        let (cache, entry) = try cache(maxEntryBytes: 8)
        let (verified, discarded) = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
        #expect(verified == nil && discarded?.contains(entry.path) == true)
        #expect(!FileManager.default.fileExists(atPath: entry.path))
    }

    @Test func anEmptyFolderPlantedAsAnEntryIsRemovedSoTheEntryCanBeWrittenAgain() throws {
        let (cache, entry) = try cache()
        try FileManager.default.removeItem(at: entry)
        try FileManager.default.createDirectory(at: entry, withIntermediateDirectories: false)
        let (verified, discarded) = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
        #expect(verified == nil && discarded != nil)
        #expect(!FileManager.default.fileExists(atPath: entry.path))
        cache.write(try VerifiedBytes.verify(bytes, against: integrity, subject: "x@1.0.0", source: "test"))
        #expect(try Data(contentsOf: entry) == bytes)
    }

    /// Entries appear whole (written aside, then linked into place): no temporary file is left,
    /// and an entry already there is never replaced.
    @Test func anEntryAppearsWholeAndAnExistingOneIsKept() throws {
        let (cache, entry) = try cache()
        #expect(try FileManager.default.contentsOfDirectory(atPath: entry.deletingLastPathComponent().path) == [entry.lastPathComponent])
        try Data("planted".utf8).write(to: entry)
        cache.write(try VerifiedBytes.verify(bytes, against: integrity, subject: "x@1.0.0", source: "test"))
        #expect(try Data(contentsOf: entry) == Data("planted".utf8))
        let (verified, discarded) = cache.read(integrity, subject: "x@1.0.0", into: cache.root.appendingPathComponent("staging.tgz"))
        #expect(verified == nil && discarded?.contains("no longer matches sha512-") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: entry.deletingLastPathComponent().path).isEmpty)
    }
}

/// What a detached thread read, written once before it signals.
private final class ReadBox: @unchecked Sendable {
    var value: (VerifiedBytes?, discarded: String?)?
}

/// Cache files being written are removed by an interrupt, whose `exit` runs no `defer` (found by
/// review: temporary files stayed in the cache after Ctrl-C).
@Suite struct CacheTemporariesTests {
    @Test func anInterruptRemovesTheFilesStillBeingWrittenAndNoOthers() throws {
        try withScratch("cache-temporaries") { folder in
            let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            #expect(descriptor >= 0)
            defer { close(descriptor) }
            let temporaries = CacheTemporaries()
            for name in [".a.1.1", ".b.1.2"] {
                try Data("partial".utf8).write(to: folder.appendingPathComponent(name))
                temporaries.add(name, in: descriptor)
            }
            temporaries.remove(".b.1.2", in: descriptor)  // finished: its writer unlinked it itself
            temporaries.removeAll()
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [".b.1.2"])
        }
    }
}
