import ChildProcess
import FixtureTesting
import Foundation
import Glibc
import Testing

/// Found by review: verify-install's interrupt handler replaced the SIG_IGN that `nohup` leaves
/// for SIGHUP, so a hangup ended an install run under nohup. A signal ignored at start stays so.
@Suite struct InheritedSignalTests {
    /// A listening socket on 127.0.0.1 that takes one connection and never answers.
    final class SilentServer: @unchecked Sendable {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.descriptor = descriptor
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
            guard bound, listen(descriptor, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        }

        /// Waits (on a thread of its own) until a client has sent its request line.
        func firstRequest() async -> Int32 {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    let client = accept(self.descriptor, nil, nil)
                    var buffer = [UInt8](repeating: 0, count: 512)
                    _ = read(client, &buffer, buffer.count)
                    continuation.resume(returning: client)
                }
            }
        }

        deinit { close(descriptor) }
    }

    /// The signals `pid` ignores, from /proc/<pid>/status.
    static func ignoredSignals(_ pid: pid_t) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") })
        return try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16))
    }

    @Test func aHangupIgnoredByNohupStaysIgnored() async throws {
        let server = try SilentServer()
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
