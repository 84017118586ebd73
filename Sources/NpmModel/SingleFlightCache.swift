import Synchronization

/// One in-flight or finished computation per key, shared by every caller for the run: the first
/// caller for a key starts it, concurrent and later callers await the same task. A failure is
/// kept too (a run does not retry what already failed). Packuments, registry keys and the
/// trusted root are each fetched once through one of these.
public final class SingleFlightCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let tasks = Mutex<[Key: Task<Value, any Error>]>([:])

    public init() {}

    /// The value for `key`, computing it with `compute` only if no caller has started it yet.
    public func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = tasks.withLock { tasks in
            if let existing = tasks[key] { return existing }
            let task = Task { try await compute() }
            tasks[key] = task
            return task
        }
        return try await task.value
    }
}
