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
    /// Largest tarball accepted into storage.
    public static let maxTarballBytes = 64 * 1024 * 1024
    /// Largest packument document read back from disk.
    public static let maxPackumentBytes = 32 * 1024 * 1024
    /// Deepest JSON nesting accepted in manifests and stored packuments.
    public static let maxJSONDepth = 64
}
