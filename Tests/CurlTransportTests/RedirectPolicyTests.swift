@testable import CurlTransport
import Foundation
import Testing

/// Redirects: only http(s), never https → http, and never more than the cap.
///
/// No https test server is at hand, so the downgrade rule is checked where it is decided
/// (`CURLOPT_REDIR_PROTOCOLS_STR` = "https" for an https request) and the protocol filter
/// itself is exercised end to end with redirects to other schemes.
@Suite("Redirect policy")
struct RedirectPolicyTests {
    @Test func httpsRequestsMayOnlyBeRedirectedToHttps() {
        #expect(Transfer.redirectProtocols(for: "https://registry.npmjs.org/x") == "https")
        #expect(Transfer.redirectProtocols(for: "HTTPS://registry.npmjs.org/x") == "https")
        #expect(Transfer.redirectProtocols(for: "http://127.0.0.1:4873/x") == "http,https")
        // A combining mark after the colon made "https:" one Character shorter than its bytes.
        #expect(Transfer.redirectProtocols(for: "https:\u{301}//registry.npmjs.org/x") == "https")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1:1/x", "dict://127.0.0.1:1/x", "gopher://127.0.0.1:1/x", "scp://127.0.0.1/x"])
    func redirectsToOtherProtocolsAreRefused(target: String) async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 302, headers: [("Location", target)]) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 1))

        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/jump"))) }
        #expect(error?.code == .invalidURL, "\(target): \(String(describing: error))")
    }

    /// A caller that sends credentials follows redirects itself: the redirect is the response.
    @Test func aRequestThatDoesNotFollowRedirectsGetsTheRedirect() async throws {
        let server = try await TestServer.start { request, _ in
            request.path == "/jump" ? .respond(status: 302, headers: [("Location", "/landed")]) : .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 1))
        var request = HTTPRequest(url: server.url("/jump"))
        request.followsRedirects = false
        let response = try await client.send(request)
        #expect(response.status == 302 && response.header("location") == "/landed")
        #expect(server.requestCount("/landed") == 0)
    }

    /// The caller's proxy carries the request (the registry client sets it as npm would).
    @Test func aRequestGoesThroughTheProxyItNames() async throws {
        let proxy = try await TestServer.start { _, _ in .respond(status: 200) }
        defer { Task { await proxy.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 1))
        var request = HTTPRequest(url: "http://registry.invalid/left-pad")
        request.proxy = proxy.url("")
        let response = try await client.send(request)
        #expect(response.status == 200)
        #expect(proxy.snapshot.requests.map(\.path) == ["http://registry.invalid/left-pad"])
    }

    @Test func redirectCountIsCappedWhateverTheConfigurationSays() async throws {
        let server = try await TestServer.start { request, _ in
            let hop = Int(request.path.split(separator: "/").last ?? "") ?? 0
            return hop < 30 ? .respond(status: 302, headers: [("Location", "/hop/\(hop + 1)")]) : .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 1)
        configuration.maxRedirects = 1000
        let client = try CurlHTTPClient(configuration: configuration)

        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/hop/0"))) }
        #expect(error?.code == .tooManyRedirects)
        #expect(server.snapshot.requests.count == Transfer.maxRedirectsCap + 1)
        #expect(Transfer.redirectLimit(-1) == 0)
    }
}
