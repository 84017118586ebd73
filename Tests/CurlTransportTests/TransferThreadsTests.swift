@testable import CurlTransport
import Foundation
import Testing

// MARK: - Several transfer threads

@Suite("Several transfer threads")
struct TransferThreadsTests {
    @Test func everyRequestOfManyConcurrentOnesGetsItsOwnBodyAndDigest() async throws {
        let server = try await TestServer.start { request, _ in
            .respond(status: 200, body: Array("body of \(request.path)".utf8))
        }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(concurrency: 6)
        configuration.transferThreads = 3
        let client = try CurlHTTPClient(configuration: configuration)

        let results = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
            for index in 0..<60 {
                group.addTask {
                    (index, try await client.send(HTTPRequest(url: server.url("/p\(index)")),
                                                  digest: { FNV1aDigest() }))
                }
            }
            return try await group.reduce(into: [Int: HTTPResponse]()) { $0[$1.0] = $1.1 }
        }

        #expect(results.count == 60)
        for (index, response) in results {
            let expected = Array("body of /p\(index)".utf8)
            #expect(response.status == 200)
            #expect(Array(response.body) == expected)
            #expect(response.bodyDigest == FNV1aDigest.of(expected))
        }
        #expect(server.snapshot.requests.count == 60)
        // Six slots shared out between three threads: never more at once.
        #expect(server.snapshot.maxInFlight <= 6)
    }

    @Test func theTransfersAreDealtOutSoTheirSumsStayTheTotals() {
        var configuration = TransportConfiguration(maxConcurrentTransfers: 16, maxCachedConnections: 32)
        configuration.transferThreads = 3
        let shares = (0..<configuration.threadCount).map(configuration.share(ofThread:))
        #expect(shares.map(\.maxConcurrentTransfers) == [6, 5, 5])
        #expect(shares.map(\.maxCachedConnections) == [11, 11, 10])
        #expect(shares.allSatisfy { $0.transferThreads == 1 })
        // Never more threads than transfers: one transfer at once means one thread.
        configuration.maxConcurrentTransfers = 2
        #expect(configuration.threadCount == 2)
        #expect((0..<2).map { configuration.share(ofThread: $0).maxConcurrentTransfers } == [1, 1])
        configuration.maxConcurrentTransfers = 1
        #expect(configuration.threadCount == 1)
        #expect(TransportConfiguration.transferThreads(forCores: 2) == 1)
        #expect(TransportConfiguration.transferThreads(forCores: 8) == 2)
        #expect(TransportConfiguration.transferThreads(forCores: 64) == 4)
    }

    @Test func oneTransferAtOnceHoldsWhateverTheThreadsAsked() async throws {
        let gate = Gate()
        let server = try await TestServer.start { _, _ in .respond(status: 200, gate: gate) }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(concurrency: 1)
        configuration.transferThreads = 4
        let client = try CurlHTTPClient(configuration: configuration)
        defer { gate.open() }

        let first = Task { try await client.send(HTTPRequest(url: server.url("/first"))) }
        #expect(await eventually { server.requestCount("/first") == 1 })
        // The one slot is held by `/first` until the gate opens: the others can only wait.
        let others = (0..<3).map { index in Task { try await client.send(HTTPRequest(url: server.url("/o\(index)"))) } }
        gate.open()
        #expect(try await first.value.status == 200)
        for other in others { #expect(try await other.value.status == 200) }
        #expect(server.snapshot.maxInFlight == 1)
    }

    /// Found by review: attempts dealt in turn waited behind a stalled transfer on their thread
    /// while another thread had a free slot.
    @Test func anAttemptGoesToAThreadWithAFreeSlot() async throws {
        let server = try await TestServer.start { request, _ in request.path == "/stall" ? .stall : .respond(status: 200) }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 1, concurrency: 2, transferTimeout: .seconds(3600))
        configuration.transferThreads = 2
        configuration.lowSpeedTimeout = nil  // only the test ends the stall
        let client = try CurlHTTPClient(configuration: configuration)
        defer { client.shutdown() }

        let stalled = Task { try await client.send(HTTPRequest(url: server.url("/stall"))) }
        #expect(await eventually { server.requestCount("/stall") == 1 })
        for index in 0..<4 {
            let quick = Task { try await client.send(HTTPRequest(url: server.url("/q\(index)"))) }
            // Taken in turn, every second one would queue behind the stall (for the hour-long
            // time-out): then it is cancelled, and the test fails rather than hangs.
            let sent = await eventually(timeout: .seconds(30)) { server.requestCount("/q\(index)") == 1 }
            #expect(sent, "/q\(index) waited behind the stalled transfer")
            if !sent { quick.cancel() }
            #expect(try await quick.value.status == 200)
        }
        stalled.cancel()
        #expect(await transportError { _ = try await stalled.value }?.code == .cancelled)
    }

    @Test func cancellationAndShutdownReachEveryThread() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 1, concurrency: 4, transferTimeout: .seconds(3600))
        configuration.transferThreads = 2
        let client = try CurlHTTPClient(configuration: configuration)

        // Each attempt goes to the least loaded thread: four stalled requests occupy both.
        let stalled = (0..<4).map { index in
            Task { try await client.send(HTTPRequest(url: server.url("/s\(index)"))) }
        }
        #expect(await eventually { server.snapshot.requests.count == 4 })
        stalled[1].cancel()
        #expect(await transportError { _ = try await stalled[1].value }?.code == .cancelled)

        client.shutdown()
        for index in [0, 2, 3] {
            #expect(await transportError { _ = try await stalled[index].value }?.code == .cancelled)
        }
        #expect(await eventually { server.snapshot.connectionsClosed == 4 })
        let late = await transportError { _ = try await client.send(HTTPRequest(url: server.url("/late"))) }
        #expect(late?.code == .cancelled)
    }
}
