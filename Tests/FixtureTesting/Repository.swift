public import Foundation

/// The repository's layout, computed once from this file's location
/// (`<root>/Tests/FixtureTesting/Repository.swift`), symbolic links resolved so scratch
/// packages and child processes see the real tree.
public enum Repository {
    /// The repository root (the folder holding `Package.swift`).
    public static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Registry/`: seed packages, fault scenarios, recordings.
    public static let registry = root.appendingPathComponent("Registry", isDirectory: true)

    /// `Registry/packages/`: the seed packages every fixture registry starts with.
    public static let seedPackages = registry.appendingPathComponent("packages", isDirectory: true)

    /// `Registry/config.json`: the fixture registry's TEST-ONLY access config.
    public static let registryConfig = registry.appendingPathComponent("config.json")

    /// `Registry/keys/`: the TEST-ONLY keys (registry key, recorded-flow issuer key and token secret).
    public static let registryKeys = registry.appendingPathComponent("keys", isDirectory: true)

    /// `Registry/scenarios/`: the fault scenarios.
    public static let scenarios = registry.appendingPathComponent("scenarios", isDirectory: true)

    /// `ConsumerFixtures/`: the consumer projects the installers are tested with.
    public static let consumerFixtures = root.appendingPathComponent("ConsumerFixtures", isDirectory: true)

    /// `../shared/vectors/` beside the repository (read in place, never copied), standardized.
    public static let vectors: URL = root.appendingPathComponent("../shared/vectors", isDirectory: true)
        .resolvingSymlinksInPath().standardizedFileURL

    /// A file or folder in the shared vectors.
    public static func vector(_ relative: String) -> URL { vectors.appendingPathComponent(relative) }

    /// `ConsumerFixtures/<name>`.
    public static func consumerFixture(_ name: String) -> URL { consumerFixtures.appendingPathComponent(name) }

    /// The virtual environment `make deps` fills (check-jsonschema, sigstore-python):
    /// `$MOCHI_VENV`, else `<root>/.build/venv`.
    public static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["MOCHI_VENV"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return root.appendingPathComponent(".build/venv")
    }
}
