import CurlTransport
import Foundation
import Synchronization
import Testing

// MARK: - Streaming digest and content decoding

@Suite("Streaming digest")
struct DigestTests {
    /// `gzip("hello gzip world\n" * 100)`, made once with Python's gzip module (mtime 0).
    static let gzipped = Data(base64Encoded: "H4sIAAAAAAACA8tIzcnJV0ivyixQKM8vyknhyhgVGBUYFRgVGBUYFRgcAgDG66/QpAYAAA==")!
    static let plain = String(repeating: "hello gzip world\n", count: 100)

    @Test func streamingDigestEqualsTheDigestOfTheWholeBody() async throws {
        let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let server = try await TestServer.start { _, _ in .respond(status: 200, body: payload) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())
        let made = Counter()

        let response = try await client.send(HTTPRequest(url: server.url("/blob.tgz"))) {
            made.increment()
            return FNV1aDigest()
        }

        #expect(response.body == Data(payload))
        #expect(response.bodyDigest == FNV1aDigest.of(payload))
        #expect(made.value == 1)
    }

    @Test func eachAttemptGetsAFreshDigest() async throws {
        let server = try await TestServer.start { _, index in
            index == 0 ? .respond(status: 502, body: Array("bad gateway".utf8))
                       : .respond(status: 200, body: Array("payload".utf8))
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())
        let made = Counter()

        let response = try await client.send(HTTPRequest(url: server.url("/retry"))) {
            made.increment()
            return FNV1aDigest()
        }

        #expect(response.attempts == 2)
        #expect(made.value == 2)
        #expect(response.bodyDigest == FNV1aDigest.of(Array("payload".utf8)))
    }

    @Test func gzipResponsesAreDecodedAndTheDigestCoversDecodedBytes() async throws {
        let server = try await TestServer.start { request, _ in
            guard request.header("accept-encoding")?.contains("gzip") == true else { return .respond(status: 406) }
            return .respond(status: 200, headers: [("Content-Encoding", "gzip")], body: Array(Self.gzipped))
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let response = try await client.send(HTTPRequest(url: server.url("/packument"))) { FNV1aDigest() }

        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.plain)
        #expect(response.bodyDigest == FNV1aDigest.of(Array(Self.plain.utf8)))
    }
}

/// A thread-safe counter for `@Sendable` closures.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
