import FixtureTesting
import Foundation
import Testing

/// With no registry configured, verify-install runs `fixture-registry serve` beside itself as a child:
/// the child and its folder are gone when verify-install exits, and a missing `fixture-registry` is
/// a clear configuration error.
@Suite struct WorldProcessTests {
    @Test func theWorldProcessAndItsFolderAreGoneAfterTheInstall() async throws {
        try await withScratch("world-process") { folder in
            let temporary = folder.appendingPathComponent("tmp"), project = folder.appendingPathComponent("app")
            for directory in [temporary, project] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            let result = try await ProcessRunner.run(try CLIPaths.verifyInstall,
                                                     ["@mochi/example", "--prefix", project.path, "--cache", folder.appendingPathComponent("cache").path],
                                                     environment: ["TMPDIR": temporary.path, "HOME": folder.path])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("started the embedded fixture world (fixture-registry serve)"), "\(result.stderr)")
            #expect(result.stdout.contains("provenance: 2/2 verified"), "\(result.stdout)")
            let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
            #expect(left.isEmpty, "the world's temporary folder was left behind: \(left)")
            let living = Self.processes(withEnvironment: "TMPDIR=\(temporary.path)")
            #expect(living.isEmpty, "still running after verify-install exited: \(living)")
        }
    }

    @Test func aMissingFixtureRegistryIsAClearError() async throws {
        try await withScratch("world-missing") { folder in
            let alone = folder.appendingPathComponent("verify-install")
            try Scratch.copyExecutable(try CLIPaths.verifyInstall, to: alone)
            let project = folder.appendingPathComponent("app")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            let result = try await ProcessRunner.run(alone, ["@mochi/example", "--prefix", project.path,
                                                             "--cache", folder.appendingPathComponent("cache").path],
                                                     environment: ["HOME": folder.path])
            #expect(result.status == 2, "a configuration error: \(result.status), stderr: \(result.stderr)")
            let expected = folder.appendingPathComponent("fixture-registry").resolvingSymlinksInPath().path
            #expect(result.stderr.contains("no registry configured"), "\(result.stderr)")
            #expect(result.stderr.contains("not found beside verify-install at \(expected)"), "\(result.stderr)")
            #expect(result.stderr.contains("--registry"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules").path))
        }
    }

    @Test func aWorldThatDiesBeforeListeningIsAnErrorWithItsStderr() async throws {
        try await withScratch("world-dies") { folder in
            try Scratch.copyExecutable(try CLIPaths.verifyInstall, to: folder.appendingPathComponent("verify-install"))
            let fake = folder.appendingPathComponent("fixture-registry")
            try Data("#!/bin/sh\necho 'cannot bind: address in use' >&2\nexit 3\n".utf8).write(to: fake)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
            let project = folder.appendingPathComponent("app")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            let result = try await ProcessRunner.run(folder.appendingPathComponent("verify-install"),
                                                     ["@mochi/example", "--prefix", project.path], environment: ["HOME": folder.path])
            #expect(result.status == 3, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("ended (exit 3) before it listened"), "\(result.stderr)")
            #expect(result.stderr.contains("cannot bind: address in use"), "the child's stderr tail: \(result.stderr)")
        }
    }

    /// Command lines of the processes whose environment holds `entry`.
    static func processes(withEnvironment entry: String) -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
        return pids.compactMap { pid in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environ.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == entry }) else { return nil }
            let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
            return "\(pid): " + String(decoding: command.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        }
    }
}
