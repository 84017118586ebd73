import DurableFile
import FixtureTesting
import Foundation
import Testing

/// The crash-safe writes the TUF cache, the fixture registry and the fixture logs share.
@Suite struct DurableFileTests {
    @Test func replaceSwapsWholeContentAndLeavesNoTemporaryBeside() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("root.json")
            try DurableFile.replace(file, with: Data("first".utf8))
            try DurableFile.replace(file, with: Data("second, longer".utf8), mode: 0o600)
            #expect(try Data(contentsOf: file) == Data("second, longer".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["root.json"])
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func replaceIntoAMissingFolderFailsNamingTheTemporaryAndLeavesNothing() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("absent/root.json")
            let error = #expect(throws: DurableFile.Failure.self) { try DurableFile.replace(file, with: [UInt8](repeating: 1, count: 4)) }
            #expect(error?.call == "open")
            #expect(error?.path.hasPrefix(folder.path + "/absent/.root.json.tmp-") == true, "\(String(describing: error))")
            #expect(error?.reason.isEmpty == false)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(left.isEmpty, "nothing is left behind: \(left)")
        }
    }

    @Test func writeTruncatesOrAppends() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("entries.jsonl")
            try DurableFile.write(Array("a\n".utf8), to: file, append: true)
            try DurableFile.write(Array("b\n".utf8), to: file, append: true)
            #expect(try String(contentsOf: file, encoding: .utf8) == "a\nb\n")
            try DurableFile.write(Array("c\n".utf8), to: file)
            #expect(try String(contentsOf: file, encoding: .utf8) == "c\n")
        }
    }

    @Test func writeAllWritesEveryByteOrReportsErrno() throws {
        try withScratch { folder in
            let path = folder.appendingPathComponent("big").path
            let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(descriptor >= 0)
            #expect(bytes.withUnsafeBytes { DurableFile.writeAll($0, to: descriptor) } == nil)
            close(descriptor)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
            let readOnly = open(path, O_RDONLY | O_CLOEXEC)
            defer { close(readOnly) }
            #expect(bytes.withUnsafeBytes { DurableFile.writeAll($0, to: readOnly) } == EBADF)
        }
    }

    @Test func syncFolderRefusesAFileAndAMissingPath() throws {
        try withScratch { folder in
            try DurableFile.syncFolder(folder.path)
            let file = folder.appendingPathComponent("plain")
            try DurableFile.write([1], to: file)
            #expect(throws: DurableFile.Failure.self) { try DurableFile.syncFolder(file.path) }
            #expect(throws: DurableFile.Failure.self) { try DurableFile.syncFolder(folder.appendingPathComponent("none").path) }
        }
    }
}
