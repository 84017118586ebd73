import CurlTransport
import FixtureTesting
import Foundation
import Testing

// MARK: - Retries and failures

@Suite("Retries and failures")
struct RetryTests {
    @Test func clientErrorIsReturnedWithoutRetry() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 404, body: Array("nope".utf8)) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))

        let response = try await client.send(HTTPRequest(url: server.url("/missing")))

        #expect(response.status == 404)
        #expect(response.attempts == 1)
        #expect(String(decoding: response.body, as: UTF8.self) == "nope")
        #expect(server.requestCount("/missing") == 1)
    }

    @Test func serverErrorThenSuccessSucceedsOnRetry() async throws {
        let server = try await TestServer.start { _, index in
            index == 0 ? .respond(status: 500) : .respond(status: 200, body: Array("second".utf8))
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))

        let response = try await client.send(HTTPRequest(url: server.url("/flaky")))

        #expect(response.status == 200)
        #expect(response.attempts == 2)
        #expect(String(decoding: response.body, as: UTF8.self) == "second")
        #expect(server.requestCount("/flaky") == 2)
    }

    @Test func persistentServerErrorIsReturnedAfterMaxAttempts() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 503, body: Array("busy".utf8)) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))

        let response = try await client.send(HTTPRequest(url: server.url("/down")))

        #expect(response.status == 503)
        #expect(response.attempts == 3)
        #expect(String(decoding: response.body, as: UTF8.self) == "busy")
        #expect(server.requestCount("/down") == 3)
    }

    @Test func refusedConnectionFailsAsConnectionFailedAfterRetries() async throws {
        let refusing = try ReservedPort()  // bound, never listening: connections are refused
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))
        let url = "http://127.0.0.1:\(refusing.port)/x"

        let error = await transportError { _ = try await client.send(HTTPRequest(url: url)) }

        let failure = try #require(error)
        #expect(failure.code == .connectionFailed)
        #expect(failure.attempts == 3)
        #expect(failure.url == url)
        #expect(!failure.message.isEmpty)
        #expect(failure.description.contains("connectionFailed"))
        withExtendedLifetime(refusing) {}
    }

    /// The transfer time-out bounds the whole request (found by review: a registry trickling bytes
    /// held one request for three time-outs): an attempt that used it all up is not retried.
    @Test func stalledServerTimesOutWithinOneTransferTimeout() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3, transferTimeout: .seconds(1)))

        // The server never answers: only the 1 s transfer time-out can end the attempt, and then no
        // time is left for another.
        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/slow"))) }

        #expect(error?.code == .timedOut)
        #expect(error?.attempts == 1)
    }

    /// Found by review: an attempt that starts with no time left (a retry's sleep that ended late)
    /// ran with libcurl's time-out 0, which is none at all. Now it does not start.
    @Test func anAttemptWithNoTimeLeftIsNotStarted() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 1, transferTimeout: .nanoseconds(1))
        // Without the fix only this limit would end the attempt (after a request reached the server).
        configuration.lowSpeedTimeout = LowSpeedLimit(bytesPerSecond: 1000, window: .seconds(1))
        let client = try CurlHTTPClient(configuration: configuration)

        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/late"))) }

        #expect(error?.code == .timedOut)
        #expect(error?.attempts == 0)
        #expect(server.requestCount("/late") == 0)
    }

    /// The low-speed limit aborts a stalled attempt long before the transfer time-out, which
    /// leaves time for a retry.
    @Test func lowSpeedLimitAbortsAStalledTransferAndARetryGetsWhatIsLeft() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 2, transferTimeout: .seconds(60))
        configuration.lowSpeedTimeout = LowSpeedLimit(bytesPerSecond: 1000, window: .seconds(1))
        let client = try CurlHTTPClient(configuration: configuration)

        let error = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/crawl"))) }

        #expect(error?.code == .timedOut)
        #expect(error?.attempts == 2)
    }

    @Test func aStalledTransferIsAbortedByDefault() {
        let limit = TransportConfiguration().lowSpeedTimeout
        #expect(limit == .stalled)
        #expect(limit.map { $0.bytesPerSecond >= 1024 && $0.window <= .seconds(30) } == true)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), multiplier: 2,
                                 maxDelay: .milliseconds(300))
        func close(_ a: Duration, _ b: Duration) -> Bool { abs((a - b).components.attoseconds) < 1_000_000_000 && (a - b).components.seconds == 0 }
        #expect(close(policy.delay(afterAttempt: 1), .milliseconds(100)))
        #expect(close(policy.delay(afterAttempt: 2), .milliseconds(200)))
        #expect(close(policy.delay(afterAttempt: 3), .milliseconds(300)))
        #expect(close(policy.delay(afterAttempt: 60), .milliseconds(300)))
        #expect(RetryPolicy.none.maxAttempts == 1)
    }
}

/// Found by review: a caller following redirects itself gave each hop a fresh time-out. A request
/// carries when it began, and its time-out counts from there.
@Suite struct RequestStartTests {
    @Test func aRequestWhoseTimeHasRunOutFailsBeforeAnyTransfer() async throws {
        let client = try CurlHTTPClient(configuration: TransportConfiguration(transferTimeout: .seconds(5), retry: .none))
        defer { client.shutdown() }
        var request = HTTPRequest(url: "http://127.0.0.1:9/x")
        request.startedAt = ContinuousClock.now - .seconds(10)
        let error = await #expect(throws: TransportError.self) { try await client.send(request) }
        #expect(error?.code == .timedOut, "\(String(describing: error))")
        #expect(error?.attempts == 0, "no attempt was made")
    }
}
