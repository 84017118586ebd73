import ChildProcess
import FixtureTesting
import Foundation
import Glibc
import Testing

/// Found by review: verify-install's interrupt handler replaced the SIG_IGN that `nohup` leaves
/// for SIGHUP, so a hangup ended an install run under nohup. A signal ignored at start stays so.
@Suite struct InheritedSignalTests {
    /// The signals `pid` ignores, from /proc/<pid>/status.
    static func ignoredSignals(_ pid: pid_t) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
        return try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16))
    }

    @Test func aHangupIgnoredByNohupStaysIgnored() async throws {
        let server = try ReservedPort()
        try server.listen()
        defer { server.close() }
        let project = try Scratch.folder("nohup-project")
        defer { Scratch.remove(project) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        environment["HOME"] = project.path
        let child = try ChildProcess.spawn("/usr/bin/nohup", [Products.executable("verify-install").path, "install", "--registry",
                                                                "http://127.0.0.1:\(server.port)/", "some-package", "--prefix",
                                                                project.appendingPathComponent("app").path, "-q"],
                                           environment: environment, output: .null, error: .null)
        let client = await server.firstRequest()  // by then verify-install has set up its interrupt handling
        defer { close(client) }
        let ignored = try Self.ignoredSignals(child.pid)
        #expect(ignored & (1 << UInt64(SIGHUP - 1)) != 0, "SIGHUP is still ignored: SigIgn \(String(ignored, radix: 16))")
        #expect(ignored & (1 << UInt64(SIGTERM - 1)) == 0, "SIGTERM is handled")
        _ = child.signal(SIGTERM)
        #expect(await child.wait().status == 128 + SIGTERM)
    }
}
