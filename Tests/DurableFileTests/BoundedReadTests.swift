import DurableFile
import FixtureTesting
import Foundation
import Glibc
import Testing

/// `DurableFile.read`: the registry's one-open read of a stored file, bounded before any byte is read.
@Suite struct BoundedReadTests {
    @Test func readsTheWholeFileAndNilForAMissingOne() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("packument.json")
            let bytes = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            try bytes.write(to: file)
            #expect(try DurableFile.read(file.path, limit: bytes.count) == bytes)
            #expect(try DurableFile.read(folder.appendingPathComponent("absent").path, limit: 10) == nil)
            try Data().write(to: folder.appendingPathComponent("empty"))
            #expect(try DurableFile.read(folder.appendingPathComponent("empty").path, limit: 0) == Data())
        }
    }

    @Test func refusesAFileOverTheLimitNamingItsSize() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("big.tgz")
            try Data(count: 1001).write(to: file)
            let error = #expect(throws: DurableFile.Failure.self) { try DurableFile.read(file.path, limit: 1000) }
            #expect(error?.path == file.path)
            #expect(error?.reason == "1001 bytes exceeds the limit of 1000")
        }
    }

    @Test func aFolderOrAnUnreadablePathIsAnErrorNotNil() throws {
        try withScratch { folder in
            let error = #expect(throws: DurableFile.Failure.self) { try DurableFile.read(folder.path, limit: 1 << 20) }
            #expect(error?.call == "read")
            let file = folder.appendingPathComponent("file")
            try Data("x".utf8).write(to: file)
            let through = #expect(throws: DurableFile.Failure.self) { try DurableFile.read(file.path + "/inner", limit: 1) }
            #expect(through?.call == "open", "a path through a file is not 'missing'")
        }
    }

    /// A FIFO planted where a file is expected is refused at once, never waited on.
    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        try withScratch { folder in
            let fifo = folder.appendingPathComponent("13.root.json")
            #expect(mkfifo(fifo.path, 0o600) == 0)
            let error = #expect(throws: DurableFile.Failure.self) { try DurableFile.read(fifo.path, limit: 1 << 20) }
            #expect(error?.reason == "not a regular file")
        }
    }
}
