import CurlTransport
import Foundation
import Testing

// MARK: - Size cap, concurrency and connection reuse

@Suite("Transfer limits and connection reuse")
struct TransferLimitsTests {
    @Test func bodyOverTheCapFailsAndCutsTheTransfer() async throws {
        let total = 64 * 1024 * 1024
        let server = try await TestServer.start { _, _ in .stream(total: total, chunk: 64 * 1024) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))

        let error = await transportError {
            _ = try await client.send(HTTPRequest(url: server.url("/huge"), maxResponseBytes: 256 * 1024))
        }

        #expect(error?.code == .bodyTooLarge)
        #expect(error?.attempts == 1)  // never retried
        #expect(server.requestCount("/huge") == 1)
        // The client hung up: the server's writes failed long before the end.
        #expect(await eventually { server.snapshot.connectionsClosed == 1 })
        #expect(server.snapshot.bytesStreamed < total / 4)
    }

    /// Found by review: a run's budget charged only once a body was complete let every concurrent
    /// transfer hold a whole body first. A shared budget is charged as the bytes arrive.
    @Test func aSharedBudgetCutsTransfersAsItIsSpent() async throws {
        let total = 64 * 1024 * 1024
        let server = try await TestServer.start { _, _ in .stream(total: total, chunk: 64 * 1024) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(attempts: 3))
        let budget = ResponseBudget(1024 * 1024)
        let request = { () -> HTTPRequest in
            var request = HTTPRequest(url: server.url("/huge"), maxResponseBytes: total)
            request.budget = budget
            return request
        }()
        let errors = await withTaskGroup(of: TransportError?.self) { group in
            for _ in 0..<2 { group.addTask { await transportError { _ = try await client.send(request) } } }
            return await group.reduce(into: [TransportError?]()) { $0.append($1) }
        }
        #expect(errors.allSatisfy { $0?.code == .bodyTooLarge && $0?.message.contains("budget of 1048576 bytes") == true }, "\(errors)")
        #expect(budget.isSpent)
        #expect(await eventually { server.snapshot.connectionsClosed == 2 })
        #expect(server.snapshot.bytesStreamed < total / 4)
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        let server = try await TestServer.start { _, _ in .stream(total: 100_000, chunk: 7_000) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        let response = try await client.send(HTTPRequest(url: server.url("/exact"), maxResponseBytes: 100_000))

        #expect(response.body.count == 100_000)
    }

    @Test func concurrencyLimitIsNeverExceededAndAllRequestsSucceed() async throws {
        // Responses are held by the gate until four requests are in flight at once: the limit is
        // reached (an event the test waits for), then the gate opens and the rest flow through.
        let gate = Gate()
        let server = try await TestServer.start { request, _ in
            .respond(status: 200, body: Array(request.path.utf8), gate: gate)
        }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test(concurrency: 4, transferTimeout: .seconds(60)))
        defer { gate.open() }

        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    let response = try await client.send(HTTPRequest(url: server.url("/item/\(index)")))
                    #expect(response.status == 200)
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            #expect(await eventually { server.snapshot.inFlight >= 4 })
            gate.open()
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }

        #expect(bodies.count == 64)
        #expect(bodies.allSatisfy { $0.value == "/item/\($0.key)" })
        let stats = server.snapshot
        #expect(stats.requests.count == 64)
        #expect(stats.maxInFlight <= 4)
        #expect(stats.maxInFlight >= 2)  // they really ran in parallel
        #expect(stats.connectionsOpened <= 4)  // slots reuse their connections
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let server = try await TestServer.start { _, _ in .respond(status: 200, body: Array("ok".utf8)) }
        defer { Task { await server.stop() } }
        let client = try CurlHTTPClient(configuration: .test())

        for index in 0..<5 {
            let response = try await client.send(HTTPRequest(url: server.url("/seq/\(index)")))
            #expect(response.status == 200)
        }

        #expect(server.snapshot.requests.count == 5)
        #expect(server.snapshot.connectionsOpened == 1)
    }
}
