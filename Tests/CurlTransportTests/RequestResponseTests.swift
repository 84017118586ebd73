import CurlTransport
import Foundation
import Testing

// MARK: - Requests and responses

@Suite("Requests and responses")
struct RequestResponseTests {
    @Test func getReturnsStatusBodyAndLowerCasedHeaders() async throws {
        let server = try await TestServer.start { _, _ in
            .respond(status: 200, headers: [("Content-Type", "application/json"), ("X-Test", "yes")],
                     body: Array(#"{"ok":true}"#.utf8))
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let response = try await client.send(HTTPRequest(url: server.url("/doc")))

        #expect(response.status == 200)
        #expect(response.isSuccess)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["x-test"] == "yes")
        #expect(response.header("X-Test") == "yes")
        #expect(response.url == server.url("/doc"))
        #expect(response.attempts == 1)
        #expect(response.bodyDigest == nil)
    }

    /// Found by review: libcurl decodes a transfer coding even unasked, so a request that takes no
    /// encoding aborts a response that names one (of either kind) instead of storing decoded bytes.
    @Test func aRequestTakingNoEncodingRefusesAnEncodedResponse() async throws {
        let server = try await TestServer.start { request, _ in
            .respond(status: 200, headers: request.path == "/plain" ? [] : [("Content-Encoding", "gzip")], body: [0x1F, 0x8B, 8, 0, 0, 0])
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 1))
        var request = HTTPRequest(url: server.url("/encoded"))
        request.acceptsEncodings = false
        let error = await transportError { _ = try await client.send(request) }
        #expect(error?.message.contains("came encoded (content-encoding: gzip) though the request took no encoding") == true, "\(String(describing: error))")
        #expect(!(server.snapshot.requests.first?.headers.contains { $0.name.lowercased() == "accept-encoding" } ?? true), "no Accept-Encoding sent")
        request.url = server.url("/plain")
        #expect(try await client.send(request).body == Data([0x1F, 0x8B, 8, 0, 0, 0]), "bytes taken as sent")
    }

    @Test func customRequestHeadersAndUserAgentReachTheServer() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 204) }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test()
        configuration.userAgent = "verify-test/1.0"
        let client = try CurlHTTPClient(configuration: configuration)

        let accept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"
        let response = try await client.send(HTTPRequest(
            url: server.url("/pkg"), headers: [(name: "Accept", value: accept), (name: "X-Trace", value: "42")]))

        #expect(response.status == 204)
        let seen = try #require(server.snapshot.requests.first)
        #expect(seen.method == "GET")
        #expect(seen.header("accept") == accept)
        #expect(seen.header("x-trace") == "42")
        #expect(seen.header("user-agent") == "verify-test/1.0")
        #expect(seen.header("expect") == nil)
    }

    @Test(arguments: ["POST", "PUT"])
    func requestBodyIsSentWithTheMethod(method: String) async throws {
        let server = try await TestServer.start { request, _ in
            .respond(status: 201, body: Array("got \(request.body.count)".utf8))
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())
        let payload = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

        let response = try await client.send(HTTPRequest(
            url: server.url("/upload"), method: method,
            headers: ["Content-Type": "application/octet-stream"], body: payload))

        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == "got 200000")
        let seen = try #require(server.snapshot.requests.first)
        #expect(seen.method == method)
        #expect(seen.body == Array(payload))
        #expect(seen.header("content-type") == "application/octet-stream")
    }

    @Test func headRequestReturnsHeadersWithoutBody() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 200, headers: [("ETag", "\"v1\"")]) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let response = try await client.send(HTTPRequest(url: server.url("/head"), method: "HEAD"))

        #expect(response.status == 200)
        #expect(response.headers["etag"] == "\"v1\"")
        #expect(response.body.isEmpty)
        #expect(server.snapshot.requests.first?.method == "HEAD")
    }

    @Test func redirectsAreFollowedAndLoopsStop() async throws {
        let server = try await TestServer.start { request, _ in
            switch request.path {
            case "/old": .respond(status: 301, headers: [("Location", "/new")])
            case "/loop": .respond(status: 302, headers: [("Location", "/loop")])
            default: .respond(status: 200, body: Array("moved".utf8))
            }
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let response = try await client.send(HTTPRequest(url: server.url("/old")))
        #expect(response.status == 200)
        #expect(response.url == server.url("/new"))
        #expect(String(decoding: response.body, as: UTF8.self) == "moved")

        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/loop"))) }
        #expect(error?.code == .tooManyRedirects)
        #expect(error?.attempts == 1)
    }

    @Test func nonHTTPURLsAreRejectedAsInvalid() async throws {
        let client = try CurlHTTPClient(configuration: .test())
        // libcurl would guess a scheme for, or read, the last four (found by a re-attack).
        for url in ["ftp://127.0.0.1/file", "file:///etc/passwd", "127.0.0.1/file", "http:/127.0.0.1/file", "http://127.0.0.1/a b",
                    #"http://127.0.0.1:9\@127.0.0.1:1/x"#] {
            let error = await transportError { _ = try await client.send(HTTPRequest(url: url)) }
            #expect(error?.code == .invalidURL, "\(url)")
            #expect(error?.url == url)
            #expect(error?.attempts == 1)
        }
    }
}
