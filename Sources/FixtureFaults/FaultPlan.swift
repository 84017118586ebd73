import FixtureRegistry
import Foundation
import Synchronization

/// Faults to inject into a running fixture registry, and counters of what it served.
///
/// Rules are tried in the order they were added; every matching `.delay` is
/// applied, then the first matching other action decides the response. Each
/// applied rule counts down its `remaining` uses. Share one plan between a test
/// and the server; it can be edited while the server runs.
///
/// ```swift
/// let faults = FaultPlan()
/// faults.add(.packument("@mochi/example"), .status(500), times: 2)   // 500, 500, then 200
/// faults.add(.tarball(name: "@mochi/runtime", version: "1.2.0"), .corruptTarball)
/// faults.activate(try FaultScenario.load(named: "expired-key"))            // Registry/scenarios/expired-key.json
/// ```
/// A running `fixture-registry serve --admin` switches scenarios through ``AdminServer``.
public final class FaultPlan: Sendable {
    private struct State {
        var rules: [FaultRule] = []
        var scenario: String?
        var pathCounts: [String: Int] = [:]
        var routeCounts: [RegistryRoute: Int] = [:]
    }

    private let state = Mutex(State())

    public init(_ rules: [FaultRule] = []) {
        state.withLock { $0.rules = rules }
    }

    // MARK: - Rules

    /// Adds a rule for the next `times` matching requests (nil: all of them); with `perPath`,
    /// for the first `times` requests of every distinct path.
    public func add(_ match: FaultMatch, _ action: FaultAction, times: Int? = 1, perPath: Bool = false) {
        state.withLock { $0.rules.append(FaultRule(match, action, times: times, perPath: perPath)) }
    }

    /// Removes every rule and the active scenario (counters stay).
    public func clearRules() {
        state.withLock { state in
            state.rules.removeAll()
            state.scenario = nil
        }
    }

    /// Replaces every rule with the scenario's, from now on (counters stay).
    public func activate(_ scenario: FaultScenario) {
        state.withLock { state in
            state.rules = scenario.rules
            state.scenario = scenario.name
        }
    }

    /// The name of the scenario last activated, until ``clearRules()``.
    public var activeScenario: String? { state.withLock { $0.scenario } }

    /// The rules that still have uses left.
    public var rules: [FaultRule] { state.withLock { $0.rules } }

    // MARK: - Counters

    /// Requests seen with this raw path (as sent, prefix included).
    public func requestCount(path: String) -> Int {
        state.withLock { $0.pathCounts[path] ?? 0 }
    }

    /// Packument and version-document requests seen for a package, however its name was encoded.
    public func packumentRequests(_ name: String) -> Int {
        state.withLock { state in
            state.routeCounts.reduce(0) { total, entry in
                switch entry.key {
                case .packument(let n), .manifest(let n, _): n.description == name ? total + entry.value : total
                default: total
                }
            }
        }
    }

    /// Tarball requests seen for `name@version`.
    public func tarballRequests(_ name: String, version: String) -> Int {
        guard let packageName = try? PackageName(name) else { return 0 }
        return state.withLock { $0.routeCounts[.tarball(packageName, version: version)] ?? 0 }
    }

    /// Every raw path seen, with its count.
    public var requestCounts: [String: Int] { state.withLock { $0.pathCounts } }

    // MARK: - Applying

    /// Counts a request and takes the actions that apply to it (delays first, then at most one other).
    func actions(for route: RegistryRoute?, path: String) -> [FaultAction] {
        state.withLock { state in
            state.pathCounts[path, default: 0] += 1
            if let route { state.routeCounts[route, default: 0] += 1 }
            var taken: [FaultAction] = []
            var decided = false
            for index in state.rules.indices {
                let rule = state.rules[index]
                guard rule.match.matches(route: route, path: path), rule.action.applies(to: route) else { continue }
                let isDelay = if case .delay = rule.action { true } else { false }
                if !isDelay, decided { continue }
                guard state.rules[index].use(path: path) else { continue }
                if !isDelay { decided = true }
                taken.append(rule.action)
            }
            state.rules.removeAll { $0.isExhausted }
            return taken
        }
    }
}
