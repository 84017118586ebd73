import NpmModel
import Synchronization
import Testing

/// Counts how often a computation actually ran.
private final class Runs: Sendable {
    private let count = Mutex(0)
    func record() -> Int { count.withLock { $0 += 1; return $0 } }
    var total: Int { count.withLock { $0 } }
}

private struct Boom: Error {}

@Suite struct SingleFlightCacheTests {
    @Test func manyConcurrentCallersShareOneComputationPerKey() async throws {
        let cache = SingleFlightCache<String, Int>()
        let runs = Runs()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.value(for: "a") { runs.record() } } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(values.count == 50)
        #expect(Set(values) == [1])
        #expect(runs.total == 1)
        #expect(try await cache.value(for: "b") { runs.record() } == 2, "another key computes on its own")
        #expect(try await cache.value(for: "a") { runs.record() } == 1, "a finished value is kept")
    }

    @Test func aFailureIsSharedAndNotRetried() async {
        let cache = SingleFlightCache<Int, Int>()
        let runs = Runs()
        for _ in 0..<3 {
            await #expect(throws: Boom.self) {
                try await cache.value(for: 1) { _ = runs.record(); throw Boom() }
            }
        }
        #expect(runs.total == 1)
        #expect(cache.finishedValues.isEmpty, "a failure is no value")
    }

    @Test func finishedValuesAreTheComputedOnes() async throws {
        let cache = SingleFlightCache<String, Int>()
        #expect(cache.finishedValues.isEmpty)
        _ = try await cache.value(for: "a") { 1 }
        _ = try await cache.value(for: "b") { 2 }
        await #expect(throws: Boom.self) { try await cache.value(for: "c") { throw Boom() } }
        #expect(cache.finishedValues.sorted() == [1, 2])
    }
}
