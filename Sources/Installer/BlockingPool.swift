import Dispatch

/// Runs blocking work (libarchive, file moves) on GCD threads, never on Swift's
/// cooperative pool, with at most `width` jobs at once.
final class BlockingPool: Sendable {
    private let queue = DispatchQueue(label: "verify-install.blocking", attributes: .concurrent)
    private let slots: DispatchSemaphore

    init(width: Int) {
        slots = DispatchSemaphore(value: max(1, width))
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [slots] in
                slots.wait()
                defer { slots.signal() }
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
