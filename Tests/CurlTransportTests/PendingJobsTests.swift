@testable import CurlTransport
import Testing

/// The transfer thread's queue of attempts waiting for a slot.
@Suite struct PendingJobsTests {
    /// `count` queued attempts with ids 1...count; each one's task waits until the test finishes it.
    static func withJobs(_ count: Int, _ body: ([TransferJob]) -> Void) async {
        let (made, sink) = AsyncStream.makeStream(of: TransferJob.self)
        await withTaskGroup(of: Void.self) { group in
            for id in 1...count {
                group.addTask {
                    _ = await withCheckedContinuation { continuation in
                        sink.yield(TransferJob(id: UInt64(id), request: HTTPRequest(url: "http://127.0.0.1:9/\(id)"), attempt: 1,
                                               timeout: nil, digestFactory: nil, continuation: continuation))
                    }
                }
            }
            var jobs: [TransferJob] = []
            for await job in made {
                jobs.append(job)
                if jobs.count == count { break }
            }
            body(jobs.sorted { $0.id < $1.id })
            for job in jobs { job.finishCancelled("test over") }
        }
    }

    @Test func attemptsLeaveOldestFirstAcrossReclaimingTheTakenPrefix() async {
        await Self.withJobs(2500) { jobs in
            var queue = PendingJobs()
            for job in jobs { queue.append(job) }
            var taken: [UInt64] = []
            while !queue.isEmpty { taken += queue.take(7).map(\.id) }
            #expect(taken == jobs.map(\.id))
            #expect(queue.take(5).isEmpty)
        }
    }

    @Test func aQueuedAttemptIsRemovedByIdAndATakenOneIsNot() async {
        await Self.withJobs(2000) { jobs in
            var queue = PendingJobs()
            for job in jobs { queue.append(job) }
            let first = queue.take(1500).map(\.id)
            #expect(queue.remove(id: 10) == nil)
            #expect(queue.remove(id: 1700)?.id == 1700)
            queue.append(jobs[9])
            let rest = queue.takeAll().map(\.id)
            #expect(first == Array(1...1500))
            #expect(rest == Array(1501...1699) + Array(1701...2000) + [10])
            #expect(queue.isEmpty)
        }
    }
}
