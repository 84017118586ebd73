import ChildProcess
import FixtureTesting
import Foundation
import Testing

/// An interrupted `verify-install` removes the embedded fixture world it started.
@Suite struct InterruptCleanupTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func theEmbeddedWorldIsRemovedWhenTheProcessIsInterrupted(_ signal: Int32) async throws {
        try await withScratch("interrupt") { folder in
            let temporary = folder.appendingPathComponent("tmp"), project = folder.appendingPathComponent("app")
            for directory in [temporary, project] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            // A FIFO as package.json holds the install after the world has started (reading it blocks).
            #expect(mkfifo(project.appendingPathComponent("package.json").path, 0o644) == 0)
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
            environment["TMPDIR"] = temporary.path
            environment["HOME"] = folder.path
            let child = try ChildProcess.spawn(try Products.executable("verify-install").path,
                                               ["--prefix", project.path, "--cache", folder.appendingPathComponent("cache").path, "--quiet"],
                                               environment: environment, output: .null, error: .null)
            // Synchronise on the world's folder appearing (polled; the bound is only a safety net).
            let deadline = ContinuousClock.now + .seconds(120)
            while Self.worlds(in: temporary).isEmpty, child.termination == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))  // polling a folder for a state, not a timing assumption
            }
            #expect(!Self.worlds(in: temporary).isEmpty, "the embedded world never started")
            _ = child.signal(signal)
            let termination = await child.wait()
            #expect(termination.status == 128 + signal)
            #expect(Self.worlds(in: temporary).isEmpty, "left behind: \(Self.worlds(in: temporary))")
        }
    }

    static func worlds(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("mochi-fixture-world-") }
    }
}
