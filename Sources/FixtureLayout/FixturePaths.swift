public import Foundation

/// Where the fixture world's repository files are: seed packages, the access config, the
/// TEST-ONLY keys, the fault scenarios and the recorded flows.
///
/// This is the one place that reads the `$MOCHI_REGISTRY_*` environment and falls back to the
/// repository this binary was built from (found from this source file). The fixture libraries take
/// these paths as parameters; the composition roots (`Harness`, the executables) pass them.
///
/// | Path        | Environment                  | Fallback                   |
/// |-------------|------------------------------|----------------------------|
/// | `seed`      | `$MOCHI_REGISTRY_SEED`       | `Registry/packages`        |
/// | `config`    | `$MOCHI_REGISTRY_CONFIG`     | `Registry/config.json`     |
/// | `keys`      | `$MOCHI_REGISTRY_KEYS`       | `Registry/keys`            |
/// | `scenarios` | `$MOCHI_REGISTRY_SCENARIOS`  | `Registry/scenarios`       |
/// | `recorded`  | —                            | `Registry/recorded`        |
public struct FixturePaths: Sendable, Hashable {
    /// Seed packages (`<name>/<version>/` folders).
    public var seed: URL
    /// The registry's access config (users, publish rights, fixed tokens, trusted publishers).
    public var config: URL
    /// The TEST-ONLY keys folder (registry key, recorded-flow issuer key and token secret).
    public var keys: URL
    /// The fault scenarios (`<name>.json`).
    public var scenarios: URL
    /// The recorded exchanges (`fixture-registry record` writes here by default).
    public var recorded: URL

    /// The repository's own layout below `root`.
    public init(root: URL) {
        let registry = root.appendingPathComponent("Registry", isDirectory: true)
        seed = registry.appendingPathComponent("packages", isDirectory: true)
        config = registry.appendingPathComponent("config.json")
        keys = registry.appendingPathComponent("keys", isDirectory: true)
        scenarios = registry.appendingPathComponent("scenarios", isDirectory: true)
        recorded = registry.appendingPathComponent("recorded", isDirectory: true)
    }

    /// The repository layout, each path overridden by its non-empty `$MOCHI_REGISTRY_*` variable.
    public init(environment: [String: String], root: URL = FixturePaths.repositoryRoot) {
        self.init(root: root)
        func override(_ name: String, directory: Bool) -> URL? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return URL(fileURLWithPath: value, isDirectory: directory)
        }
        seed = override("MOCHI_REGISTRY_SEED", directory: true) ?? seed
        config = override("MOCHI_REGISTRY_CONFIG", directory: false) ?? config
        keys = override("MOCHI_REGISTRY_KEYS", directory: true) ?? keys
        scenarios = override("MOCHI_REGISTRY_SCENARIOS", directory: true) ?? scenarios
    }

    /// The layout this process uses: its environment over the repository it was built from.
    public static var current: FixturePaths { FixturePaths(environment: ProcessInfo.processInfo.environment) }

    /// The repository this binary was built from (`<root>/Sources/FixtureLayout/FixturePaths.swift`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `<keys>/test-registry-key.pem`: the TEST-ONLY registry signing key.
    public var testRegistryKey: URL { keys.appendingPathComponent("test-registry-key.pem") }

    /// `<keys>/recorded-token-secret.pem`: the TEST-ONLY HMAC secret of recorded flows.
    public var tokenSecret: URL { keys.appendingPathComponent("recorded-token-secret.pem") }
}
