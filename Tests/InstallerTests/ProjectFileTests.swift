import Foundation
import Testing
@testable import Installer

/// Only a package.json that does not exist counts as absent: one that cannot be read is an error,
/// never taken for a new project whose file (and tree) would be replaced.
@Suite struct ProjectFileTests {
    @Test(arguments: ["folder", "fifo", "oversized"])
    func aPackageJSONThatCannotBeReadIsAnErrorNotAnAbsentFile(_ kind: String) throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("project-file-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        let file = prefix.appendingPathComponent("package.json")
        switch kind {
        case "folder": try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        case "fifo": #expect(mkfifo(file.path, 0o644) == 0)
        default:
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: UInt64(ProjectFile.maxManifestBytes + 1))
            try handle.close()
        }
        let error = #expect(throws: InstallError.self) { try ProjectManifest.load(prefix: prefix) }
        #expect(error?.message.contains("cannot read \(file.path)") == true, "\(String(describing: error))")
        #expect(error?.code == .fileSystem)
    }

    @Test func aMissingPackageJSONIsANewProject() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("project-file-\(UUID().uuidString)")
        #expect(try ProjectManifest.load(prefix: prefix) == nil)
    }
}
