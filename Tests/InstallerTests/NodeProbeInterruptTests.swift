import ChildProcess
import FixtureTesting
import Foundation
import Synchronization
import Testing

/// `node --version` runs while the trust root loads (found by review: an interrupt in that window
/// ended the run but left a slow `node` running).
@Suite struct NodeProbeInterruptTests {
    @Test func anInterruptDuringStartUpKillsTheNodeProbe() async throws {
        try await withScratch("node-probe") { folder in
            let bin = folder.appendingPathComponent("bin"), temporary = folder.appendingPathComponent("tmp")
            for directory in [bin, temporary] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            // The probe connects to `probe` and then sleeps, so its connection closes when it dies.
            let probe = try StallingServer(), registry = try StallingServer()
            defer { probe.close(); registry.close() }
            let node = bin.appendingPathComponent("node")
            try Data("#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/\(probe.port)\nexec sleep 60\n".utf8).write(to: node)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: node.path)
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
            environment["PATH"] = "\(bin.path):/usr/bin:/bin"
            environment["HOME"] = folder.path
            environment["TMPDIR"] = temporary.path
            let child = try ChildProcess.spawn(try Products.executable("verify-install").path,
                                               ["install", "--registry", "http://127.0.0.1:\(registry.port)/", "left-pad",
                                                "--prefix", folder.appendingPathComponent("app").path, "--quiet"],
                                               environment: environment, output: .null, error: .null)
            let probed = Mutex(false)
            // An exit before the probe connects must not leave accept() waiting.
            let watchdog = Task { _ = await child.wait(); if !probed.withLock({ $0 }) { probe.close() } }
            defer { watchdog.cancel() }
            #expect(await probe.firstConnection(), "verify-install never ran the node probe")
            probed.withLock { $0 = true }
            _ = child.signal(SIGTERM)
            #expect(await child.wait().status == 128 + SIGTERM)
            #expect(await probe.firstConnectionCloses(withinSeconds: 20), "the node probe outlived the interrupted run")
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
        }
    }
}
