import Synchronization

/// Bounds how many packument bytes are being parsed at once. A parsed document takes several
/// times its size in memory while it is built, so eight 120 MB documents parsed together peaked at
/// 7 GB (found by review) although the run's download budget held. Callers wait, first come first
/// served, until their weight fits; one document larger than the capacity is parsed alone.
final class ParseGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(weight: Int, resume: CheckedContinuation<Void, Never>)] = []
    }

    private let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = capacity
        state = Mutex(State(available: capacity))
    }

    /// Runs `body` once `bytes` (at most the capacity) of the gate are free, then frees them.
    func withWeight<T>(_ bytes: Int, _ body: () throws -> T) async rethrows -> T {
        let weight = min(max(bytes, 1), capacity)
        await acquire(weight)
        defer { release(weight) }
        return try body()
    }

    private func acquire(_ weight: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                guard state.waiters.isEmpty, state.available >= weight else {
                    state.waiters.append((weight, continuation))
                    return false
                }
                state.available -= weight
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func release(_ weight: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.available += weight
            var ready: [CheckedContinuation<Void, Never>] = []
            while let first = state.waiters.first, first.weight <= state.available {
                state.available -= first.weight
                ready.append(state.waiters.removeFirst().resume)
            }
            return ready
        }
        ready.forEach { $0.resume() }
    }
}
