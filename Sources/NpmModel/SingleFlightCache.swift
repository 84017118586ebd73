import Synchronization

/// One in-flight or finished computation per key, shared by every caller for the run: the first
/// caller for a key starts it, concurrent and later callers await the same task. A failure is
/// kept too (a run does not retry what already failed). Packuments, registry keys and the
/// trusted root are each fetched once through one of these. A finished computation keeps only
/// its result: a task holds kilobytes of its own, which a thousand packuments would keep alive.
public final class SingleFlightCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Entry {
        case running(Task<Value, any Error>)
        case finished(Result<Value, any Error>)
    }

    private let entries = Mutex<[Key: Entry]>([:])

    public init() {}

    /// The value for `key`, computing it with `compute` only if no caller has started it yet.
    public func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let entry = entries.withLock { entries in
            if let existing = entries[key] { return existing }
            let started = Entry.running(Task { try await compute() })
            entries[key] = started
            return started
        }
        switch entry {
        case .finished(let result):
            return try result.get()
        case .running(let task):
            let result = await task.result
            entries.withLock { $0[key] = .finished(result) }
            return try result.get()
        }
    }

    /// The values computed and awaited so far (failures left out), in no particular order.
    public var finishedValues: [Value] {
        entries.withLock { entries in
            entries.values.compactMap { entry in
                if case .finished(.success(let value)) = entry { value } else { nil }
            }
        }
    }
}
