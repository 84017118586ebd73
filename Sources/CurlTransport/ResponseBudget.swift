import Synchronization

/// Response-body bytes that many requests share, charged as each chunk arrives: when it is spent,
/// the transfer that overdrew it is aborted (``TransportError/Code/bodyTooLarge``). A cap checked
/// once a body is complete lets every concurrent transfer hold a whole body first (found by review:
/// 16 packuments of 127 MiB, each 129 KB of gzip, took 2.1 GB before a 1 GiB budget stopped them).
public final class ResponseBudget: Sendable {
    /// The bytes the budget started with.
    public let allowance: Int
    private let left: Atomic<Int>

    public init(_ allowance: Int) {
        self.allowance = allowance
        left = Atomic(allowance)
    }

    /// Takes `bytes`; false (and nothing left) once the budget cannot cover them.
    public func take(_ bytes: Int) -> Bool {
        let after = left.subtract(bytes, ordering: .relaxed).newValue
        return after >= 0
    }

    /// Whether the budget is spent.
    public var isSpent: Bool { left.load(ordering: .relaxed) < 0 }
}
