import Synchronization

/// A key's verifications counted until it is worth preparing (`RepeatedKeyVerifier`): a log's or a
/// registry's P-256 key verifies thousands of signatures in one install. Its table costs about
/// 21 ms, and each verification after it costs 22 µs instead of 63 µs: the table pays for itself
/// after about 500 verifications, so it is built at the 512th (the first 511 verify plainly; a key
/// used fewer times never pays for a table). A caller that knows at least that many verifications
/// are coming (`expect(atLeast:)`: an install that has planned a large tree) has the key prepared
/// as soon as it is in use, at its 16th verification.
final class RepeatedUse: Sendable {
    private enum Phase { case counting(Int), preparing, prepared(RepeatedKeyVerifier), unprepared }
    private struct State {
        var phase = Phase.counting(0)
        /// The most verifications a caller has said are coming.
        var expected = 0
    }
    private let state = Mutex(State())

    /// Verifications before a key of `curve` is prepared; nil for keys that never are.
    static func threshold(_ kind: PublicKey.Kind) -> Int? {
        switch kind {
        case .ecdsa(curve: "prime256v1"): 512
        case .ecdsa(curve: "secp384r1"): inUse
        default: nil
        }
    }

    /// Verifications that show a key is in use: the threshold of a key expected to reach its own.
    static let inUse = 16

    /// Verifications counted so far: up to the threshold, where counting stops.
    var verificationsSoFar: Int {
        state.withLock { state in
            if case .counting(let count) = state.phase { return count }
            return Int.max
        }
    }

    /// Records that at least `count` verifications under this key are coming.
    func expect(atLeast count: Int) {
        state.withLock { $0.expected = max($0.expected, count) }
    }

    /// The prepared form of `key` once it has verified its threshold of signatures, else nil (the
    /// caller verifies with OpenSSL's plain code). The call that reaches the threshold builds the
    /// tables outside the lock; other threads go on meanwhile.
    func verifier(for key: PublicKey) -> RepeatedKeyVerifier? {
        guard let full = Self.threshold(key.kind) else { return nil }
        let build: Bool? = state.withLock { state in
            let threshold = state.expected >= full ? min(full, Self.inUse) : full
            switch state.phase {
            case .prepared: return nil
            case .preparing, .unprepared: return false
            case .counting(let count) where count + 1 >= threshold:
                state.phase = .preparing
                return true
            case .counting(let count):
                state.phase = .counting(count + 1)
                return false
            }
        }
        switch build {
        case nil: break
        case false?: return nil
        case true?:
            let prepared = RepeatedKeyVerifier(key)
            state.withLock { $0.phase = prepared.map(Phase.prepared) ?? .unprepared }
            return prepared
        }
        return state.withLock { state in
            if case .prepared(let verifier) = state.phase { return verifier }
            return nil
        }
    }

    /// Whether the key has been prepared (for tests).
    var isPrepared: Bool {
        state.withLock { state in
            if case .prepared = state.phase { return true }
            return false
        }
    }
}
