import CurlTransport
import Foundation
import Testing

// MARK: - Cancellation and shutdown

@Suite("Cancellation and shutdown")
struct CancellationTests {
    @Test func cancellingTheTaskAbortsARunningTransfer() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(transferTimeout: .seconds(30)))

        let task = Task { try await client.send(HTTPRequest(url: server.url("/hang"))) }
        #expect(await eventually { server.requestCount("/hang") == 1 })
        let started = ContinuousClock.now
        task.cancel()
        let error = await transportError { _ = try await task.value }

        #expect(error?.code == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(10), "well before the 30 s transfer timeout")
        #expect(await eventually { server.snapshot.connectionsClosed == 1 })  // the socket was dropped
        #expect(server.requestCount("/hang") == 1)  // and not retried
    }

    @Test func cancellingAQueuedRequestRemovesItFromTheQueue() async throws {
        let server = try await TestServer.start { request, _ in
            // Long enough that the queued request is still waiting when it is cancelled, even on a loaded machine.
            request.path == "/first" ? .respond(status: 200, delay: .seconds(2)) : .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(concurrency: 1))

        let first = Task { try await client.send(HTTPRequest(url: server.url("/first"))) }
        #expect(await eventually { server.requestCount("/first") == 1 })
        let queued = Task { try await client.send(HTTPRequest(url: server.url("/queued"))) }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()

        let error = await transportError { _ = try await queued.value }
        #expect(error?.code == .cancelled)
        #expect(try await first.value.status == 200)
        #expect(server.requestCount("/queued") == 0)
    }

    @Test func alreadyCancelledTaskFailsWithoutSending() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 200) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: server.url("/never")))
        }
        let error = await transportError { _ = try await task.value }

        #expect(error?.code == .cancelled)
        #expect(server.requestCount("/never") == 0)
    }

    @Test func shutdownFailsRunningAndLaterRequests() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(concurrency: 1, transferTimeout: .seconds(30)))

        let running = Task { try await client.send(HTTPRequest(url: server.url("/a"))) }
        let queued = Task { try await client.send(HTTPRequest(url: server.url("/b"))) }
        #expect(await eventually { server.snapshot.requests.count == 1 })
        client.shutdown()
        client.shutdown()  // idempotent

        #expect(await transportError { _ = try await running.value }?.code == .cancelled)
        #expect(await transportError { _ = try await queued.value }?.code == .cancelled)
        let late = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/c"))) }
        #expect(late?.code == .cancelled)
    }
}
