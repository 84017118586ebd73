import ChildProcess
import FixtureTesting
import Foundation
import Synchronization
import Testing

/// An interrupted `verify-install` removes the embedded fixture world it started and its staging folder.
@Suite struct InterruptCleanupTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func theEmbeddedWorldIsRemovedWhenTheProcessIsInterrupted(_ signal: Int32) async throws {
        try await withScratch("interrupt") { folder in
            let temporary = folder.appendingPathComponent("tmp"), project = folder.appendingPathComponent("app")
            for directory in [temporary, project] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            // No default registry (so the embedded world starts), but @mochi comes from a server that
            // accepts and never answers: the install then waits with the world fully running.
            let stall = try StallingServer()
            defer { stall.close() }
            try Data("@mochi:registry=http://127.0.0.1:\(stall.port)/\n".utf8).write(to: project.appendingPathComponent(".npmrc"))
            try Data(#"{"name":"app","dependencies":{"@mochi/example":"^1.0.0"}}"#.utf8).write(to: project.appendingPathComponent("package.json"))
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
            environment["TMPDIR"] = temporary.path
            environment["HOME"] = folder.path
            let child = try ChildProcess.spawn(try Products.executable("verify-install").path,
                                               ["--prefix", project.path, "--cache", folder.appendingPathComponent("cache").path, "--quiet"],
                                               environment: environment, output: .null, error: .null)
            let watchdog = Task { _ = await child.wait(); stall.close() }  // an early exit must not leave accept() waiting
            defer { watchdog.cancel() }
            let reached = await stall.firstConnection()  // synchronised on the install's request, not on time
            #expect(reached, "the install never asked the stalling registry")
            #expect(!Self.worlds(in: temporary).isEmpty, "the embedded world is not running")
            _ = child.signal(signal)
            let termination = await child.wait()
            #expect(termination.status == 128 + signal)
            #expect(Self.worlds(in: temporary).isEmpty, "left behind: \(Self.worlds(in: temporary))")
            let staging = try FileManager.default.contentsOfDirectory(atPath: project.path).filter { $0.hasPrefix(".verify-install-staging-") }
            #expect(staging.isEmpty, "left behind: \(staging)")
        }
    }

    static func worlds(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("mochi-fixture-world-") }
    }
}

/// A loopback TCP listener that accepts connections and never answers.
final class StallingServer: Sendable {
    let port: Int
    private let listener: Int32
    /// Accepted connections; nil once closed.
    private let accepted = Mutex<[Int32]?>([])

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 16) == 0 else {
            Glibc.close(listener)
            throw StallError()
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits on a dedicated thread for the first connection; false when the listener was closed first.
    func firstConnection() async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let connection = accept(listener, nil, nil)
                if connection >= 0 {
                    let kept = accepted.withLock { list -> Bool in
                        guard list != nil else { return false }
                        list!.append(connection)
                        return true
                    }
                    if !kept { Glibc.close(connection) }
                }
                continuation.resume(returning: connection >= 0)
            }
        }
    }

    /// Waits on a dedicated thread until the peer of the first accepted connection closes it (true),
    /// or `seconds` pass with it still open (false).
    func firstConnectionCloses(withinSeconds seconds: Int) async -> Bool {
        guard let connection = accepted.withLock({ $0?.first }) else { return false }
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 256)
                var count = 0
                repeat { count = read(connection, &buffer, buffer.count) } while count > 0
                continuation.resume(returning: count == 0)
            }
        }
    }

    /// Closes the listener and every accepted connection, once (a second call does nothing, so no
    /// descriptor another thread has since been given is ever closed).
    func close() {
        guard let connections = accepted.withLock({ list -> [Int32]? in defer { list = nil }; return list }) else { return }
        for connection in connections { Glibc.close(connection) }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    struct StallError: Error {}
}
