public import Foundation
import Synchronization

/// A clock that stands still at a recorded instant. A replay moves it on purpose (to show that
/// an expired ID token is refused) and back; nothing else does.
public final class PinnedClock: Sendable {
    private let instant: Mutex<Date>

    public init(_ date: Date) { instant = Mutex(date) }

    /// The current pinned instant.
    public var now: Date { instant.withLock { $0 } }

    /// Moves the clock to `date`.
    public func set(_ date: Date) { instant.withLock { $0 = date } }

    /// The clock as the closure the registry, issuer and verifier take.
    public var function: @Sendable () -> Date { { [self] in now } }
}
