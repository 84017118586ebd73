import Foundation
import Synchronization

/// Wall-clock seconds per install phase, for the report and the benchmark.
final class PhaseClock: Sendable {
    private let state = Mutex<(last: ContinuousClock.Instant, timings: [String: Double])>((ContinuousClock.now, [:]))

    /// Ends the current phase under `name`.
    func mark(_ name: String) {
        state.withLock { s in
            let now = ContinuousClock.now
            let elapsed = now - s.last
            s.timings[name, default: 0] += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            s.last = now
        }
    }

    var timings: [String: Double] { state.withLock { $0.timings } }
}
