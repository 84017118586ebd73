import Synchronization

/// A key's verifications counted until it is worth preparing (`RepeatedKeyVerifier`): a log's or a
/// registry's P-256 key verifies thousands of signatures in one install. Its table costs about
/// 21 ms, and each verification after it costs 22 µs instead of 63 µs: the table pays for itself
/// after about 500 verifications, so it is built at the 512th (the first 511 verify plainly; a key
/// used fewer times never pays for a table).
final class RepeatedUse: Sendable {
    private enum State { case counting(Int), preparing, prepared(RepeatedKeyVerifier), unprepared }
    private let state = Mutex(State.counting(0))

    /// Verifications before a key of `curve` is prepared; nil for keys that never are.
    static func threshold(_ kind: PublicKey.Kind) -> Int? {
        switch kind {
        case .ecdsa(curve: "prime256v1"): 512
        case .ecdsa(curve: "secp384r1"): 16
        default: nil
        }
    }

    /// The prepared form of `key` once it has verified its threshold of signatures, else nil (the
    /// caller verifies with OpenSSL's plain code). The call that reaches the threshold builds the
    /// tables outside the lock; other threads go on meanwhile.
    func verifier(for key: PublicKey) -> RepeatedKeyVerifier? {
        guard let threshold = Self.threshold(key.kind) else { return nil }
        let build: Bool? = state.withLock { state in
            switch state {
            case .prepared: return nil
            case .preparing, .unprepared: return false
            case .counting(let count) where count + 1 >= threshold:
                state = .preparing
                return true
            case .counting(let count):
                state = .counting(count + 1)
                return false
            }
        }
        switch build {
        case nil: break
        case false?: return nil
        case true?:
            let prepared = RepeatedKeyVerifier(key)
            state.withLock { $0 = prepared.map(State.prepared) ?? .unprepared }
            return prepared
        }
        return state.withLock { state in
            if case .prepared(let verifier) = state { return verifier }
            return nil
        }
    }

    /// Whether the key has been prepared (for tests).
    var isPrepared: Bool {
        state.withLock { state in
            if case .prepared = state { return true }
            return false
        }
    }
}
