public import Crypto
public import FixtureLayout
public import FixtureFaults
public import FixtureRegistry
public import Foundation
public import Logging
public import Publish

/// How a ``FixtureWorld`` starts: where it is stored, what it is seeded with, and how its registry listens.
public struct FixtureWorldOptions: Sendable {
    /// Where the world is stored; nil: a new temporary folder, removed on stop.
    public var directory: URL?
    /// The registry's storage below `directory` (`registry`); nil: `directory` itself (`fixture-registry serve --storage`).
    public var registryFolder: String? = "registry"
    /// The seed packages (nil: no seeding), less the packages named in `seedExcluding`.
    public var seed: URL?
    public var seedExcluding: Set<String> = []
    /// The seed's attestations: npm 11's v0.3 `dsse` bundles, or npm 10's v0.2 `intoto`.
    public var seedBundleVersion: BundleAssembler.Version = .v03
    /// The Rekor the seed is logged in (v2: `hashedrekord` 0.0.2 with an RFC 3161 timestamp, v0.3 only).
    public var seedRekorVersion: RekorVersion = .v1
    /// The registry's interface, port (0: a free one) and path prefix.
    public var host = "127.0.0.1"
    public var registryPort = 0
    public var pathPrefix = "/"
    /// The threads the registry's connections run on (`.single` for `fixture-registry serve`).
    public var registryEventLoops = RegistryEventLoops.shared
    /// Faults the registry injects; with `admin`, a control port switching `scenarios` (``FixturePaths/scenarios``).
    public var faults: FaultPlan?
    public var admin = false
    public var scenarios: URL?
    /// The registry's access config; nil: the layout's (``FixturePaths/config``).
    public var config: RegistryConfig?
    /// The first signing key of a new registry storage (such as the TEST-ONLY key); nil generates one.
    public var signingKey: P256.Signing.PrivateKey?
    /// The registry's logger (warnings only by default).
    public var logger: Logger = FixtureRegistryServer.quietLogger

    /// Options seeding from the layout's seed packages (``FixturePaths/seed``).
    public init(directory: URL? = nil, seed: URL? = FixturePaths.current.seed) {
        self.directory = directory
        self.seed = seed
    }
}
