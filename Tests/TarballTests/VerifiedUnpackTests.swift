import Foundation
import Integrity
import Tarball
import Testing

/// The one entry point: verified bytes in memory, or a verified staging file streamed from disk.
@Suite struct VerifiedUnpackTests {
    @Test func unpacksAVerifiedStagingFileFromDisk() throws {
        let scratch = try UnpackScratch()
        let tgz = Data(try Fixture.tarball([.file("package/package.json", "{}"), .file("package/a.txt", "from disk")]))
        let staging = scratch.parent.appendingPathComponent("staging.tgz")
        try tgz.write(to: staging)
        let verified = try VerifiedBytes.verify(file: staging, against: .of(tgz), subject: "a@1.0.0", source: "staging")
        let summary = try TarballUnpacker().unpack(verified, into: scratch.destination)
        #expect(summary.fileCount == 2)
        #expect(try scratch.contents("a.txt") == "from disk")
    }

    @Test func refusesAStagingFileThatIsNoLongerARegularFile() throws {
        let scratch = try UnpackScratch()
        let tgz = Data(try Fixture.tarball([.file("package/a.txt", "x")]))
        let staging = scratch.parent.appendingPathComponent("staging.tgz")
        try tgz.write(to: staging)
        let verified = try VerifiedBytes.verify(file: staging, against: .of(tgz), subject: "a@1.0.0", source: "staging")
        try FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
        #expect(throws: TarballError.self) { try TarballUnpacker().unpack(verified, into: scratch.destination) }
        #expect(!FileManager.default.fileExists(atPath: scratch.destination.path))
    }
}
