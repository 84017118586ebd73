import CurlTransport
import Foundation
import Testing

// MARK: - Cancellation and shutdown

@Suite("Cancellation and shutdown")
struct CancellationTests {
    @Test func cancellingTheTaskAbortsARunningTransfer() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        // The server never answers and the transfer timeout is far away, so the only event that can
        // end this transfer is the cancellation: a `.cancelled` code proves the order, no clock needed.
        let client = try CurlHTTPClient(configuration: .test(attempts: 1, transferTimeout: .seconds(3600)))

        let task = Task { try await client.send(HTTPRequest(url: server.url("/hang"))) }
        #expect(await eventually { server.requestCount("/hang") == 1 })
        task.cancel()
        let error = await transportError { _ = try await task.value }

        #expect(error?.code == .cancelled)
        #expect(await eventually { server.snapshot.connectionsClosed == 1 })  // the socket was dropped
        #expect(server.requestCount("/hang") == 1)  // and not retried
    }

    @Test func cancellingAQueuedRequestRemovesItFromTheQueue() async throws {
        // `/first` is held open by the gate until the test opens it: no timing involved.
        let gate = Gate()
        let server = try await TestServer.start { request, _ in
            request.path == "/first" ? .respond(status: 200, gate: gate) : .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(concurrency: 1, transferTimeout: .seconds(60)))
        defer { gate.open() }  // also when an expectation below throws

        let first = Task { try await client.send(HTTPRequest(url: server.url("/first"))) }
        #expect(await eventually { server.requestCount("/first") == 1 })
        // With one transfer slot, occupied by `/first` until the gate opens, `/queued` can only wait
        // in the client's queue (CurlTransport exposes no event for "queued"): whether the cancellation
        // finds it queued or not yet submitted, it must fail as cancelled and never be sent.
        let queued = Task { try await client.send(HTTPRequest(url: server.url("/queued"))) }
        queued.cancel()
        let error = await transportError { _ = try await queued.value }
        #expect(error?.code == .cancelled)
        #expect(server.requestCount("/queued") == 0)

        gate.open()
        #expect(try await first.value.status == 200)
        // The slot is free again and the cancelled request left no trace in the queue: the next
        // request is the second and last one the server sees.
        #expect(try await client.send(HTTPRequest(url: server.url("/after"))).status == 200)
        #expect(server.snapshot.requests.map(\.path) == ["/first", "/after"])
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
        let client = try CurlHTTPClient(configuration: .test(concurrency: 1, transferTimeout: .seconds(3600)))

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
