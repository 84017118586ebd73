import DurableFile
import FixtureTesting
import Foundation
import Glibc
import Testing

/// `removeTree` walks by descriptors: deeper than PATH_MAX, through names that are not UTF-8,
/// and never through a symbolic link.
@Suite struct TreeRemovalTests {
    @Test func removesATreeDeeperThanPathMaxWithoutFollowingLinks() throws {
        try withScratch { folder in
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: outside.appendingPathComponent("keep.txt"))
            let root = folder.appendingPathComponent("tree")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            var descriptor = open(root.path, O_RDONLY | O_DIRECTORY)
            let level = String(repeating: "d", count: 40)
            for _ in 0..<150 {  // 150 × 41 bytes: well past PATH_MAX (4096)
                #expect(mkdirat(descriptor, level, 0o755) == 0)
                let child = openat(descriptor, level, O_RDONLY | O_DIRECTORY)
                close(descriptor)
                descriptor = child
            }
            #expect(symlinkat(outside.path, descriptor, "link-out") == 0)
            let notUTF8: [CChar] = [0x66, CChar(bitPattern: 0xFF), 0x66, 0]
            let file = openat(descriptor, notUTF8, O_WRONLY | O_CREAT, 0o644)
            #expect(file >= 0)
            close(file)
            close(descriptor)

            try DurableFile.removeTree(root.path)
            #expect(!FileManager.default.fileExists(atPath: root.path))
            #expect(try String(contentsOf: outside.appendingPathComponent("keep.txt"), encoding: .utf8) == "keep")
            try DurableFile.removeTree(root.path)  // already gone: not an error
        }
    }

    @Test func removesASingleFileOrLink() throws {
        try withScratch { folder in
            let file = folder.appendingPathComponent("f")
            try Data("x".utf8).write(to: file)
            let link = folder.appendingPathComponent("l")
            #expect(symlink(folder.path, link.path) == 0)
            try DurableFile.removeTree(file.path)
            try DurableFile.removeTree(link.path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }
}
