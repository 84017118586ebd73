import FoundationEssentials
import Glibc

// MARK: - RetryPolicy

/// When and how often a request is tried again.
///
/// Retried: HTTP 5xx, ``TransportError/Code/connectionFailed`` and
/// ``TransportError/Code/timedOut``. Never retried: 4xx and other statuses,
/// ``TransportError/Code/bodyTooLarge``, invalid URLs, redirect loops and
/// cancellation. The delay before attempt *n + 1* is
/// `initialDelay * multiplier^(n - 1)`, capped at `maxDelay`.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first; values below 1 count as 1.
    public var maxAttempts: Int
    /// Delay before the second attempt.
    public var initialDelay: Duration
    /// Growth factor of the delay from one retry to the next.
    public var multiplier: Double
    /// Upper bound of any single delay.
    public var maxDelay: Duration

    /// Creates a policy; defaults match ``default``.
    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .milliseconds(100),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(5)
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
    }

    /// Three attempts, 100 ms then 200 ms apart.
    public static let `default` = RetryPolicy()
    /// A single attempt: never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The pause after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let factor = pow(max(multiplier, 1), Double(max(attempt - 1, 0)))
        let seconds = initialDelay.seconds * factor
        return seconds.isFinite && seconds < maxDelay.seconds ? .seconds(seconds) : maxDelay
    }
}
