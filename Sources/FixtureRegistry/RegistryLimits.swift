public import Foundation

/// Every size and count limit of the fixture registry, in one place.
public enum RegistryLimits {
    /// npm's own limit on a package name (validate-npm-package-name).
    public static let maxPackageNameLength = 214
    /// Longest version string accepted (it becomes part of a file name).
    public static let maxVersionLength = 256
    /// Longest dist-tag name accepted.
    public static let maxTagLength = 128
    /// Longest request path (after the prefix) the router looks at.
    public static let maxRequestPathLength = 2048
    /// Largest tarball accepted into storage (as large as the consumer accepts, so tests can serve
    /// tarballs that must stream; a publish over HTTP is bounded by `maxPublishBodyBytes`).
    public static let maxTarballBytes = 512 * 1024 * 1024
    /// Largest tarball a publish over HTTP can carry.
    public static let maxPublishedTarballBytes = 64 * 1024 * 1024
    /// Largest packument document read back from disk.
    public static let maxPackumentBytes = 32 * 1024 * 1024
    /// Deepest JSON nesting accepted in manifests and stored packuments.
    public static let maxJSONDepth = 64
    /// Largest `PUT` body (a publish carries the tarball base64-encoded, 4/3 of its size).
    public static let maxPublishBodyBytes = maxPublishedTarballBytes / 3 * 4 + 4 * 1024 * 1024
    /// Largest metadata file read back (configuration, keys, scenarios).
    public static let maxMetadataBodyBytes = 8 * 1024 * 1024
    /// Largest body of a login or a dist-tag change: a few fields, or one JSON string.
    public static let maxSmallBodyBytes = 64 * 1024
    /// Most bytes of a refused (too large) request body read and discarded before the 413, so a
    /// client still sending it reads the answer instead of a reset connection.
    public static let maxDrainedBodyBytes = 128 * 1024 * 1024
    /// Largest `.sigstore` provenance attachment stored with a version.
    public static let maxProvenanceBytes = 1024 * 1024
    /// Lifetime of a token minted by legacy login (30 days).
    public static let loginTokenLifetime: TimeInterval = 30 * 24 * 3600
    /// Longest lifetime `fixture-registry token --ttl` accepts (one year).
    public static let maxTokenLifetime: TimeInterval = 366 * 24 * 3600
}
