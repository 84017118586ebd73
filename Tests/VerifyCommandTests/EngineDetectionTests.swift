import FixtureTesting
import Foundation
import Glibc
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

    /// A node that never exits, or exits leaving a child that holds its output open (as a version
    /// manager's shim can), does not hold the run: it is killed, and its version counts as unknown.
    @Test(.timeLimit(.minutes(1)))
    func aNodeThatHangsDoesNotHoldTheRun() async throws {
        let folder = try Scratch.folder("engine-hang")
        defer { Scratch.remove(folder) }
        let leftBehind = folder.appendingPathComponent("left-behind.pid")
        defer {  // the child the second node leaves running
            if let text = try? String(contentsOf: leftBehind, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGKILL)
            }
        }
        for script in ["#!/bin/sh\nexec sleep 600\n", "#!/bin/sh\nsleep 600 &\necho $! > '\(leftBehind.path)'\necho v20.0.0\n"] {
            let bin = folder.appendingPathComponent("bin-\(script.count)")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let node = bin.appendingPathComponent("node")
            try Data(script.utf8).write(to: node)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: node.path)
            let result = try await ProcessRunner.run(try CLIPaths.verifyInstall, ["resolve", "left-pad", "--registry", "http://127.0.0.1:9/", "--quiet"],
                                                     in: folder, environment: ["PATH": "\(bin.path):/usr/bin:/bin"], isolatedHome: true)
            #expect(result.status == 3, "the run goes on to the (unreachable) registry: \(result.stderr)")
        }
    }
}
