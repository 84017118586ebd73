@testable import Installer
import Synchronization
import Testing

/// The install's job queue: a few workers at a time, outcomes in queue order, and the earliest
/// failure in queue order wins whatever the timing.
@Suite struct JobQueueTests {
    struct Failed: Error, Equatable { let index: Int }

    static func outcome(_ index: Int) -> PackageOutcome {
        PackageOutcome(fromCache: index % 2 == 0, signature: nil, provenance: nil, bins: [:], hasInstallScript: false, bundled: [], identity: "sha512-")
    }

    @Test func neverRunsMoreThanItsWidthAndKeepsQueueOrder() async throws {
        let queue = JobQueue(width: 3)
        let live = Mutex((now: 0, most: 0))
        for index in 0..<200 {
            queue.enqueue {
                live.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                await Task.yield()
                live.withLock { $0.now -= 1 }
                return Self.outcome(index)
            }
        }
        let outcomes = try await queue.outcomes()
        #expect(outcomes.map(\.fromCache) == (0..<200).map { $0 % 2 == 0 })
        let most = live.withLock { $0.most }
        #expect(most >= 1 && most <= 3)
    }

    @Test func theEarliestFailureInQueueOrderIsReportedEvenWhenALaterOneFailsFirst() async throws {
        let queue = JobQueue(width: 8)
        let (laterFailed, signal) = AsyncStream<Void>.makeStream()
        for index in 0..<10 {
            queue.enqueue {
                switch index {
                case 1:
                    for await _ in laterFailed { break }
                    throw Failed(index: 1)
                case 6:
                    signal.yield()
                    throw Failed(index: 6)
                default: return Self.outcome(index)
                }
            }
        }
        await #expect(throws: Failed(index: 1)) { try await queue.outcomes() }
    }

    @Test func aFailureDropsEveryLaterJob() async throws {
        let queue = JobQueue(width: 1)
        let ran = Mutex<[Int]>([])
        for index in 0..<10 {
            queue.enqueue {
                ran.withLock { $0.append(index) }
                if index == 0 { throw Failed(index: 0) }
                return Self.outcome(index)
            }
        }
        await #expect(throws: Failed(index: 0)) { try await queue.outcomes() }
        #expect(ran.withLock { $0 } == [0])
    }

    @Test func cancelStopsQueuedJobsAndWaitsForRunningOnes() async throws {
        let queue = JobQueue(width: 2)
        let (started, signal) = AsyncStream<Void>.makeStream()
        let ran = Mutex(0)
        for _ in 0..<50 {
            queue.enqueue {
                ran.withLock { $0 += 1 }
                signal.yield()
                // Runs until cancelled: only `cancel()` ends it.
                while !Task.isCancelled { await Task.yield() }
                throw CancellationError()
            }
        }
        for await _ in started { break }
        await queue.cancel()
        let count = ran.withLock { $0 }
        #expect(count >= 1 && count <= 2)
        await #expect(throws: CancellationError.self) { try await queue.outcomes() }
    }
}
