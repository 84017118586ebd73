import FoundationEssentials
import Synchronization

/// Wall-clock seconds per install phase, plus work summed over concurrent tasks
/// (`sum:` keys: they overlap each other and the phases), for the report and the benchmark.
final class PhaseClock: Sendable {
    private let state = Mutex<(last: ContinuousClock.Instant, timings: [String: Double])>((ContinuousClock.now, [:]))

    /// Ends the current phase under `name`.
    func mark(_ name: String) {
        state.withLock { s in
            let now = ContinuousClock.now
            let elapsed = now - s.last
            s.timings[name, default: 0] += Self.seconds(elapsed)
            s.last = now
        }
    }

    /// Adds `duration` of concurrent work to the summed counter `sum:<name>`.
    func add(_ name: String, _ duration: Duration) {
        state.withLock { $0.timings["sum:" + name, default: 0] += Self.seconds(duration) }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    var timings: [String: Double] { state.withLock { $0.timings } }
}
