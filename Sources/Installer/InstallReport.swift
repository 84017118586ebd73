import FoundationEssentials

/// One package in the installed (or resolved) tree.
public struct InstalledPackage: Sendable, Codable, Equatable {
    public let name: String
    public let version: String
    /// Install path relative to the prefix, e.g. `node_modules/@mochi/runtime`.
    public let path: String
    public let resolved: String
    public let integrity: String
    public let dev: Bool
    public let optional: Bool
    /// True when the tarball came from the cache (re-verified), false when downloaded.
    public var fromCache: Bool?
    /// Who built it, or why that is unknown; nil for `resolve`.
    public var provenance: PackageProvenance?
    /// True when `--omit` left it off disk: verified and locked, not placed (`install` only).
    public var omitted: Bool?
}

/// What an install did, for the human summary and `--json`.
public struct InstallReport: Sendable, Codable {
    public var command: String
    public var prefix: String
    public var registry: String
    public var packages: [InstalledPackage]
    public var warnings: [String]
    public var lockfile: String?
    /// Seconds per phase: resolve, fetch+verify, unpack, place.
    public var timings: [String: Double]
    public var verified: Verification
    /// Set when the trust is the embedded fixture world's test-only keys: `fixture world (test-only keys)`.
    public var trustNotice: String?

    /// The process's peak resident memory in bytes when the report was made (getrusage), for `--json`.
    public var peakResidentBytes: Int?
    /// Placed packages npm would run install scripts for (`preinstall`, `install`, `postinstall`, or a
    /// `binding.gyp`), bundled ones included: `name@version at path`. verify-install runs none; the
    /// report says which code `npm ci` or `npm rebuild` would run (found by review: it said nothing).
    public var installScripts: [String] = []
    /// Packages `--omit` (or `NODE_ENV=production`) left off disk, as npm does: `name@version at
    /// path`. `install` verified them, since the lockfile it writes records them; `ci` did not
    /// fetch them.
    public var omitted: [String] = []

    /// The one line every report carries when the embedded fixture world supplied the trust.
    public static let fixtureWorldNotice = "fixture world (test-only keys)"

    /// Which checks passed for every package.
    public struct Verification: Sendable, Codable {
        public var integrity: Int
        public var legacySHA1Only: Int
        /// Packages whose `dist.signatures` verified against the registry's keys.
        public var registrySignatures: Int
        /// Where the keys those signatures verified under came from, one line per source: pinned,
        /// a TUF target, npm's embedded keys, or a registry's own `/-/npm/v1/keys` (self-vouched).
        public var signatureKeys: [String] = []
        /// Packages from registries that publish no keys (signatures not checkable).
        public var unsignedRegistry: Int
        /// Packages whose attestations verified, with a SLSA provenance statement saying who built them.
        public var provenance: Int = 0
        /// Packages installed without verified provenance (allowed: nothing required it).
        public var withoutProvenance: Int = 0
        /// Where the Sigstore trusted root came from; nil when none was configured.
        public var trustedRoot: String?
        /// Packages whose registry signature was not checked, and why (`registry publishes no keys`).
        public var signaturesNotChecked: [String: Int] = [:]
    }
}
