import Foundation

/// Everything the fixture registry refuses or fails at, each naming the package,
/// version, tag or file involved and what was expected.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A package name that npm would not accept (or that could escape storage).
    case invalidPackageName(String, reason: String)
    /// A version string that is not a semver version (it becomes part of a file name).
    case invalidVersion(String, reason: String)
    /// A dist-tag that is empty, too long or looks like a version.
    case invalidTag(String, reason: String)
    /// A manifest without a usable `name`/`version`, or of the wrong shape.
    case invalidManifest(package: String, reason: String)
    /// The package is not in storage.
    case packageNotFound(String)
    /// The package exists but not that version.
    case versionNotFound(package: String, version: String)
    /// The version is already published (npm answers 403 for this).
    case versionExists(package: String, version: String)
    /// A tarball larger than `RegistryLimits.maxTarballBytes`.
    case tarballTooLarge(package: String, version: String, bytes: Int)
    /// A stored file that could not be read, written or parsed.
    case storage(path: String, reason: String)
    /// A seed package folder that is malformed.
    case invalidSeed(path: String, reason: String)
    /// The server could not start or bind.
    case serverStart(String)
    /// No token, or a token that is unknown or expired (HTTP 401).
    case unauthorized(String)
    /// A valid token that may not do this (HTTP 403).
    case forbidden(String)
    /// A publish or metadata body that is not what npm sends (HTTP 400).
    case invalidPublish(package: String, reason: String)
    /// An attachment whose bytes do not match the manifest's `dist` (HTTP 400).
    case integrityMismatch(package: String, version: String, reason: String)
    /// A well-formed publish the registry will not accept, such as provenance from another repository (HTTP 422).
    case unprocessable(package: String, reason: String)
    /// A request body over its limit (HTTP 413).
    case bodyTooLarge(limit: Int)
    /// A fault scenario that is unknown or malformed (fixture mode only).
    case invalidScenario(String, reason: String)
    /// An edit based on a packument revision that is no longer current (HTTP 409, as CouchDB answers).
    case revisionConflict(package: String, expected: String, current: String)

    public var description: String {
        switch self {
        case .invalidPackageName(let name, let reason): "invalid package name \"\(name)\": \(reason)"
        case .invalidVersion(let version, let reason): "invalid version \"\(version)\": \(reason)"
        case .invalidTag(let tag, let reason): "invalid dist-tag \"\(tag)\": \(reason)"
        case .invalidManifest(let package, let reason): "invalid manifest for \(package): \(reason)"
        case .packageNotFound(let name): "package \(name) is not in the registry"
        case .versionNotFound(let name, let version): "\(name)@\(version) is not in the registry"
        case .versionExists(_, let version):
            "You cannot publish over the previously published versions: \(version)."
        case .tarballTooLarge(let name, let version, let bytes):
            "tarball of \(name)@\(version) is \(bytes) bytes; the limit is \(RegistryLimits.maxTarballBytes)"
        case .storage(let path, let reason): "registry storage \(path): \(reason)"
        case .invalidSeed(let path, let reason): "seed package \(path): \(reason)"
        case .serverStart(let reason): "fixture registry did not start: \(reason)"
        case .unauthorized(let reason), .forbidden(let reason): reason
        case .invalidPublish(let package, let reason): "invalid publish of \(package): \(reason)"
        case .integrityMismatch(let package, let version, let reason): "\(package)@\(version): \(reason)"
        case .unprocessable(_, let reason): reason
        case .bodyTooLarge(let limit): "request body exceeds the limit of \(limit) bytes"
        case .invalidScenario(let name, let reason): "fault scenario \"\(name)\": \(reason)"
        case .revisionConflict(let package, let expected, let current):
            "Document update conflict: \(package) is at revision \(current), not \(expected)."
        }
    }
}
