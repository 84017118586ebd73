import Glibc
import Foundation
import FixtureTesting
import Testing

@testable import FixtureSigstore
@testable import FixtureTUF

/// Hosts added later (Fulcio, Rekor) forwarded to loopback servers; the npm environment; shutdown.
@Suite struct ForwardingAndEnvironmentTests {
    /// Echoes method, target, a header and the body, with status 201.
    struct EchoResponder: TunnelResponder {
        func respond(to request: TunnelRequest) async -> TunnelResponse {
            let text = "\(request.method) \(request.target) \(request.header("content-type") ?? "-") \(String(decoding: request.body, as: UTF8.self))"
            return TunnelResponse(status: 201, headers: [("Content-Type", "text/plain")], body: Data(text.utf8))
        }
    }

    @Test func forwardsAnAddedHostToALoopbackServer() async throws {
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let upstream = TUFTestHTTPServer(responder: EchoResponder())
        let upstreamPort = try await upstream.start()
        let authority = try TLSAuthority.generate(now: Date())
        let ca = try authority.save(to: dir)
        let proxy = ConnectProxy()
        let proxyPort = try await proxy.start()
        // Added while running, as `fixture-registry serve` may add Fulcio after the mirror.
        proxy.setSite(try ConnectProxy.Site(identity: try authority.issueServerIdentity(for: ["fulcio.sigstore.dev"], now: Date()),
                                            responder: LoopbackForwardingResponder(port: upstreamPort)), for: "fulcio.sigstore.dev")
        // A port bound but never listened on: connections are refused, and no other test can take it meanwhile.
        let reserved = try ReservedPort()
        defer { reserved.close() }
        let deadPort = reserved.port
        proxy.setSite(try ConnectProxy.Site(identity: try authority.issueServerIdentity(for: ["rekor.sigstore.dev"], now: Date()),
                                            responder: LoopbackForwardingResponder(port: deadPort)), for: "rekor.sigstore.dev")
        let curl = try #require(ProcessRunner.which("curl"))
        let common = ["--silent", "--show-error", "--max-time", "120", "--noproxy", "", "--proxy", "http://127.0.0.1:\(proxyPort)",
                      "--cacert", ca.path, "--write-out", " %{http_code}"]
        let post = try await ProcessRunner.run(curl, common + ["-H", "Content-Type: application/json", "--data", #"{"a":1}"#,
                                                               "https://fulcio.sigstore.dev/api/v2/signingCert?x=1"])
        #expect(post.stdout == #"POST /api/v2/signingCert?x=1 application/json {"a":1} 201"#, "\(post.stderr)")
        let dead = try await ProcessRunner.run(curl, common + ["--output", "/dev/null", "https://rekor.sigstore.dev/api/v1/log"])
        #expect(dead.stdout == " 502", "\(dead.stderr)")
        #expect(proxy.records.contains { $0.kind == .tunneled && $0.host == "fulcio.sigstore.dev" && $0.serverName == "fulcio.sigstore.dev" })

        try await proxy.stop()
        try await upstream.stop()
        let afterStop = try await ProcessRunner.run(curl, common + ["https://fulcio.sigstore.dev/"])
        #expect(afterStop.status == 7, "\(afterStop.stderr)")  // CURLE_COULDNT_CONNECT
    }

    @Test func environmentPointsNpmAtTheProxyCAAndCache() throws {
        let env = NpmTUFEnvironment.variables(proxyPort: 4242, caCertificateFile: URL(fileURLWithPath: "/w/ca.pem"),
                                              npmCache: URL(fileURLWithPath: "/w/npm cache"))
        #expect(env["https_proxy"] == "http://127.0.0.1:4242")
        #expect(env["HTTPS_PROXY"] == "http://127.0.0.1:4242")
        #expect(env["no_proxy"] == "127.0.0.1,localhost")
        #expect(env["NODE_EXTRA_CA_CERTS"] == "/w/ca.pem")
        #expect(env["npm_config_cache"] == "/w/npm cache")
        let script = NpmTUFEnvironment.shellExports(["A": "it's", "B": "x y"])
        #expect(script == "export A='it'\\''s'\nexport B='x y'\n")
    }

    @Test func shellExportsRoundTripThroughSh() async throws {
        let env = ["npm_config_cache": "/tmp/a b/'c'", "NO_PROXY": "127.0.0.1,localhost"]
        let result = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"),
                                                 ["-c", NpmTUFEnvironment.shellExports(env) + "printf '%s|%s' \"$npm_config_cache\" \"$NO_PROXY\""])
        #expect(result.stdout == "/tmp/a b/'c'|127.0.0.1,localhost")
    }
}
