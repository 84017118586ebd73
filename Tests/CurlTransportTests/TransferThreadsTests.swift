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

    @Test func theTransfersAreSharedOutBetweenTheThreads() {
        var configuration = TransportConfiguration(maxConcurrentTransfers: 16, maxCachedConnections: 32)
        configuration.transferThreads = 3
        let share = configuration.perThread
        #expect(share.maxConcurrentTransfers == 6)
        #expect(share.maxCachedConnections == 11)
        #expect(share.transferThreads == 1)
        configuration.maxConcurrentTransfers = 1
        #expect(configuration.perThread.maxConcurrentTransfers == 1)
        #expect(TransportConfiguration.transferThreads(forCores: 2) == 1)
        #expect(TransportConfiguration.transferThreads(forCores: 8) == 2)
        #expect(TransportConfiguration.transferThreads(forCores: 64) == 4)
    }

    @Test func cancellationAndShutdownReachEveryThread() async throws {
        let server = try await TestServer.start { _, _ in .stall }
        defer { Task { await server.stop() } }
        var configuration = TransportConfiguration.test(attempts: 1, concurrency: 4, transferTimeout: .seconds(3600))
        configuration.transferThreads = 2
        let client = try CurlHTTPClient(configuration: configuration)

        // Consecutive attempts go to different threads: four stalled requests occupy both.
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
