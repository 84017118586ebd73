import NpmModel
import RegistryClient
import Semver
import Synchronization

/// Fetches packuments ahead of the resolver: as soon as a document arrives, the documents of
/// its likely dependencies are requested too, so the whole closure downloads in parallel
/// instead of one dependency layer per round trip. The registry client shares each fetch,
/// so the resolver later awaits the same transfers; nothing is fetched twice.
final class PackumentPrefetcher: Sendable {
    private let client: RegistryClient
    private let requested = Mutex<Set<String>>([])
    /// How many of the newest versions (besides `latest`) count as likely picks.
    static let newestVersions = 3
    /// Most documents fetched ahead in one run: speculation must not let a packument (with many
    /// tags or dependencies nobody installs) make the run download and keep whatever it names.
    static let maxPrefetched = 20_000

    init(client: RegistryClient) {
        self.client = client
    }

    /// Starts fetching `names` (each at most once per run) and, transitively, their likely dependencies.
    func warm<Names: Sequence<String>>(_ names: Names) {
        let fresh = requested.withLock { seen in names.filter { seen.count < Self.maxPrefetched && seen.insert($0).inserted } }
        for name in fresh {
            Task { [self] in
                guard let packageName = try? PackageName(name), let packument = try? await client.packument(packageName) else { return }
                warm(Self.likelyDependencies(of: packument))
            }
        }
    }

    /// Dependency names of the `latest` and the newest few versions (other tags are rarely
    /// installed, and a hostile packument may hold any number of them).
    static func likelyDependencies(of packument: Packument) -> Set<String> {
        var versions = Set(packument.distTags["latest"].map { [$0] } ?? [])
        let newest = packument.versions.keys.compactMap { SemanticVersionKey($0) }.sorted().suffix(newestVersions)
        versions.formUnion(newest.map(\.text))
        var names = Set<String>()
        for version in versions {
            guard let manifest = packument.versions[version] else { continue }
            names.formUnion(manifest.dependencies.keys)
            names.formUnion(manifest.optionalDependencies.keys)
            names.formUnion(manifest.peerDependencies.keys.filter { !manifest.optionalPeers.contains($0) })
        }
        return names
    }
}

/// A version string ordered by semver precedence (unparseable versions are left out).
private struct SemanticVersionKey: Comparable {
    let text: String
    let version: SemanticVersion
    init?(_ text: String) {
        guard let version = SemanticVersion(text) else { return nil }
        self.text = text
        self.version = version
    }
    static func < (a: Self, b: Self) -> Bool { a.version < b.version }
    static func == (a: Self, b: Self) -> Bool { a.version == b.version }
}
