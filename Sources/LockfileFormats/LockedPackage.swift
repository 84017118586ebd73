import FoundationEssentials

/// The lockfile formats `verify-lockfile` reads.
public enum LockfileFormat: String, Sendable, Codable, CaseIterable {
    case npm = "package-lock"
    case pnpm
    case yarnClassic = "yarn-classic"
    case yarnBerry = "yarn-berry"
    case bun

    /// The file names each format is found under, in detection order.
    public static let fileNames: [(String, LockfileFormat?)] = [
        ("npm-shrinkwrap.json", .npm), ("package-lock.json", .npm), ("pnpm-lock.yaml", .pnpm),
        ("yarn.lock", nil), ("bun.lock", .bun),
    ]
}

/// One entry of a lockfile, as the format records it.
public struct LockedPackage: Sendable, Equatable {
    /// What kind of source the entry resolves to.
    public enum Kind: Sendable, Equatable {
        /// A registry package: verifiable.
        case registry
        /// Not a registry package (git, file, link, workspace, alias, tarball URL, patch): the reason.
        case notVerifiable(String)
    }

    /// The entry's key in the lockfile (install path, descriptor, package key).
    public var key: String
    /// The package the entry's bytes are (for an npm alias, the real package, not the folder name).
    public var name: String
    /// For an npm alias (`lodash` → `npm:evil@1.0.0`): the name it is installed under.
    public var installedAs: String?
    public var version: String
    public var resolved: String?
    /// The SRI integrity the lockfile records (nil when it records none).
    public var integrity: String?
    /// Yarn Berry's checksum of its own zip (`10c0/<hex>`): not npm's SRI.
    public var berryChecksum: String?
    public var kind: Kind
    /// Set when npm installs the entries below this one from its tarball, not from the registry:
    /// the entry says it bundles dependencies or carries its own npm-shrinkwrap.json.
    public var ownTree: String?
    /// What the lockfile links each dependency of this package to, where the format records it per
    /// package and the package manager builds the tree from it (pnpm's snapshots, one per peer
    /// context): name → every version or reference. nil where the format records none, or where
    /// the project's package extensions may add names. Each name must be one the registry's
    /// manifest declares, and each version must meet its range (a peer's need not: pnpm links an
    /// unmet peer with a warning).
    public var lockedDependencies: [String: [String]]?
    /// The project's own overrides of dependencies by name: the range a linked version is held to.
    public var dependencyOverrides: [String: String] = [:]
    /// Whether the project's package extensions may add dependencies (pnpm's
    /// `packageExtensionsChecksum`): then only declared names are checked, by version.
    public var namesMayBeExtended = false
    /// The bins the lockfile says the package manager links for this package (npm ci links the
    /// lockfile's, not the tarball's); nil where the entry records none. Compared with the registry's.
    public var bins: [String: String]?
    /// The folder whose every file the lockfile says is linked as a bin (bun.lock's `binDir`); nil
    /// where it records none. Compared with the registry manifest's `directories.bin`.
    public var binDirectory: String?
    /// 1-based line of the entry in the lockfile (0 when unknown).
    public var line: Int
    /// For an npm alias: the lockfile's word that these packages ask for it as `npm:<name>`. The
    /// lockfile is anyone's to write, so each is confirmed against the dependent's registry manifest.
    public var aliasClaims: [AliasClaim] = []
    /// For a git, tarball or folder entry: the lockfile's word that these registry packages ask for
    /// it (pnpm links a package's dependency to whatever its snapshot names). Each is confirmed
    /// against the dependent's registry manifest, which must declare such a source, not a range.
    public var sourceClaims: [AliasClaim] = []
    /// The dependency specs the lockfile records for this package, which the package manager builds
    /// the tree from; nil where the format records none to compare. Compared with the registry's.
    public var declared: DeclaredDependencies?

    public init(key: String, name: String, version: String, resolved: String? = nil, integrity: String? = nil,
                berryChecksum: String? = nil, kind: Kind = .registry, line: Int = 0) {
        self.key = key
        self.name = name
        self.version = version
        self.resolved = resolved
        self.integrity = integrity
        self.berryChecksum = berryChecksum
        self.kind = kind
        self.line = line
    }

    /// `name@version`.
    public var id: String { "\(name)@\(version)" }

    /// What a lockfile entry says its package depends on (dependencies, optional and, where the
    /// format records them, peer dependencies, by name).
    public struct DeclaredDependencies: Sendable, Equatable {
        public let specs: [String: Set<String>]
        /// Whether the format records peer dependencies (npm and Bun do, Yarn 1 does not).
        public let includesPeers: Bool

        public init(_ maps: [[String: String]], includesPeers: Bool) {
            specs = maps.reduce(into: [:]) { all, map in
                for (name, spec) in map { all[name, default: []].insert(spec) }
            }
            self.includesPeers = includesPeers
        }

        /// Why these specs are not what `registry` (the same maps from the registry's manifest)
        /// declares: a name missing on either side, or a spec the registry does not give it.
        public func difference(from registry: DeclaredDependencies) -> String? {
            for name in registry.specs.keys.sorted() where specs[name] == nil {
                return "the lockfile leaves out \(name), which the registry's manifest declares as \(registry.specs[name]!.sorted().joined(separator: " / "))"
            }
            for name in specs.keys.sorted() {
                guard let theirs = registry.specs[name] else { return "the lockfile declares \(name), which the registry's manifest does not" }
                if let odd = specs[name]!.subtracting(theirs).sorted().first {
                    return "the lockfile declares \(name) as \(odd), the registry's manifest as \(theirs.sorted().joined(separator: " / "))"
                }
            }
            return nil
        }
    }

    /// A registry package's lockfile entry saying it asks for `dependency` as an `npm:` alias.
    public struct AliasClaim: Sendable, Equatable {
        public let dependentName: String
        public let dependentVersion: String
        public let dependency: String

        /// Whether `spec`, what the dependent's registry manifest declares for `dependency`, is an
        /// `npm:` alias of `real`.
        public static func confirms(_ spec: String?, real: String) -> Bool {
            spec.map { AliasEdges.isAlias($0, of: real) } ?? false
        }

        /// Whether `spec`, what the dependent's registry manifest declares for `dependency`, asks
        /// for a source that is no registry version (git, a tarball URL, a file).
        public static func confirmsSource(_ spec: String?, dependency: String) -> Bool {
            spec.map { !AliasEdges.isRegistrySpec($0, name: dependency) } ?? false
        }
    }

    /// Marks the entry as an npm alias: installed as `installed`, its bytes are `real@version`'s,
    /// and so it is verified as `real@version` (its registry signature and attestations name it).
    mutating func alias(installedAs installed: String, real: String, version: String) {
        installedAs = installed
        name = real
        self.version = version
    }
}

/// A lockfile read into its entries (the root project excluded).
public struct ParsedLockfile: Sendable {
    public let format: LockfileFormat
    /// The format's own version (`3`, `9.0`, `1`, `8`).
    public let formatVersion: String
    public let packages: [LockedPackage]

    public init(format: LockfileFormat, formatVersion: String, packages: [LockedPackage]) {
        self.format = format
        self.formatVersion = formatVersion
        self.packages = packages
    }
}

/// A lockfile that cannot be read: unknown format, malformed, or over a limit.
public struct LockfileError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Bounds on hostile input.
public struct LockfileLimits: Sendable {
    public var maxBytes = 64 * 1024 * 1024
    public var maxEntries = 200_000
    public var maxDepth = 64
    /// YAML nodes visited (aliases expand: this caps "billion laughs").
    public var maxNodes = 5_000_000

    public init() {}
}
