import FixtureTesting
import Foundation
import Testing

/// install, ci and resolve ask the `node` on PATH for its version (npm prefers versions whose
/// engines admit it), but only from absolute PATH folders: a relative entry would run a `node`
/// that the project being installed put there.
@Suite struct EngineDetectionTests {
    @Test func onlyANodeInAnAbsolutePathFolderIsRun() async throws {
        let folder = try Scratch.folder("engine-detection")
        defer { Scratch.remove(folder) }
        let bin = folder.appendingPathComponent("bin"), marker = folder.appendingPathComponent("ran")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let node = bin.appendingPathComponent("node")
        try Data("#!/bin/sh\ntouch '\(marker.path)'\necho v20.0.0\n".utf8).write(to: node)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: node.path)
        let arguments = ["resolve", "left-pad", "--registry", "http://127.0.0.1:9/", "--quiet"]
        let executable = try CLIPaths.verifyInstall
        // Relative: `bin` as written in PATH, resolved against the working folder, is never run.
        _ = try await ProcessRunner.run(executable, arguments, in: folder, environment: ["PATH": "bin:/usr/bin:/bin"], isolatedHome: true)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
        // Absolute: the same node is asked for its version.
        _ = try await ProcessRunner.run(executable, arguments, in: folder, environment: ["PATH": "\(bin.path):/usr/bin:/bin"], isolatedHome: true)
        #expect(FileManager.default.fileExists(atPath: marker.path))
    }
}
