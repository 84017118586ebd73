import FixtureTesting
import Foundation
import Testing

@testable import FixtureSigstore
@testable import FixtureTUF

/// The proxy, exercised by curl as an HTTPS client that trusts only the fixture CA.
@Suite struct ConnectProxyTests {
    struct World {
        let directory: URL
        let caFile: URL
        let repository: TUFRepository
        let proxy: ConnectProxy
        let port: Int
    }

    static func withWorld(_ body: (World) async throws -> Void) async throws {
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let now = Date()
        let authority = try TLSAuthority.generate(now: now)
        let caFile = try authority.save(to: dir)
        let repository = try TUFRepository(targetFiles: ["trusted_root.json": TUFTestSupport.trustedRoot],
                                           keys: .generate(), now: now)
        let proxy = ConnectProxy()
        proxy.setSite(try .tufMirror(repository, authority: authority, now: now), for: TUFRepository.mirrorHost)
        let port = try await proxy.start()
        do {
            try await body(World(directory: dir, caFile: caFile, repository: repository, proxy: proxy, port: port))
        } catch {
            try await proxy.stop()
            throw error
        }
        try await proxy.stop()
    }

    static func curl(_ world: World, _ arguments: [String]) async throws -> ProcessResult {
        let curl = try #require(ProcessRunner.which("curl"))
        return try await ProcessRunner.run(curl, ["--silent", "--show-error", "--max-time", "120", "--noproxy", "",
                                                  "--proxy", "http://127.0.0.1:\(world.port)", "--cacert", world.caFile.path]
                                                  + arguments)
    }

    @Test func servesTheTimestampThroughATunnel() async throws {
        try await Self.withWorld { world in
            let out = world.directory.appendingPathComponent("timestamp.json")
            let result = try await Self.curl(world, ["--output", out.path, "--write-out", "%{http_code}",
                                                     "https://\(TUFRepository.mirrorHost)/timestamp.json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "200")
            #expect(FileManager.default.contents(atPath: out.path) == world.repository.timestamp)
            let records = world.proxy.records
            #expect(records.first == ProxyRecord(kind: .connect, host: "tuf-repo-cdn.sigstore.dev:443", serverName: nil,
                                                 method: "CONNECT", target: "tuf-repo-cdn.sigstore.dev:443", status: 200))
            #expect(records.contains(ProxyRecord(kind: .tunneled, host: TUFRepository.mirrorHost, serverName: TUFRepository.mirrorHost,
                                                 method: "GET", target: "/timestamp.json", status: 200)))
        }
    }

    @Test func keepsOneTunnelForSeveralRequestsAndAnswers404ForTheNextRoot() async throws {
        try await Self.withWorld { world in
            let base = "https://\(TUFRepository.mirrorHost)"
            let result = try await Self.curl(world, ["--write-out", "%{http_code} ", "--output", "/dev/null", "\(base)/2.root.json",
                                                     "--output", "/dev/null", "\(base)/snapshot.json",
                                                     "--output", "/dev/null", "\(base)/targets/trusted_root.json",
                                                     "--output", "/dev/null", "\(base)/nothing-here"])
            #expect(result.stdout == "404 200 200 404 ", "\(result.stderr)")
            #expect(world.proxy.records.filter { $0.kind == .connect }.count == 1)
            #expect(world.proxy.records.filter { $0.kind == .tunneled }.map(\.target)
                        == ["/2.root.json", "/snapshot.json", "/targets/trusted_root.json", "/nothing-here"])
        }
    }

    @Test func refusesOtherHostsAndPlainRequests() async throws {
        try await Self.withWorld { world in
            let other = try await Self.curl(world, ["https://registry.npmjs.org/"])
            #expect(other.status != 0)
            #expect(other.stderr.contains("403"), "\(other.stderr)")
            let wrongPort = try await Self.curl(world, ["https://\(TUFRepository.mirrorHost):8443/timestamp.json"])
            #expect(wrongPort.status != 0)
            let plain = try await Self.curl(world, ["--write-out", "%{http_code}", "--output", "/dev/null", "http://example.com/"])
            #expect(plain.stdout == "403")
            let records = world.proxy.records
            #expect(records.contains { $0.kind == .connect && $0.host == "registry.npmjs.org:443" && $0.status == 403 })
            #expect(records.contains { $0.kind == .connect && $0.host == "tuf-repo-cdn.sigstore.dev:8443" && $0.status == 403 })
            #expect(records.contains { $0.kind == .plain && $0.status == 403 })
            #expect(!records.contains { $0.kind == .tunneled })
        }
    }

    @Test func aClientWithoutTheFixtureCARefusesTheTunnel() async throws {
        try await Self.withWorld { world in
            let curl = try #require(ProcessRunner.which("curl"))
            let empty = world.directory.appendingPathComponent("other-ca.pem")
            try Data(try TLSAuthority.generate(now: Date()).certificatePEM.utf8).write(to: empty)
            let result = try await ProcessRunner.run(curl, ["--silent", "--show-error", "--max-time", "120", "--noproxy", "",
                                                            "--proxy", "http://127.0.0.1:\(world.port)", "--cacert", empty.path,
                                                            "https://\(TUFRepository.mirrorHost)/timestamp.json"])
            #expect(result.status == 60, "\(result.stderr)")  // CURLE_PEER_FAILED_VERIFICATION
        }
    }
}
