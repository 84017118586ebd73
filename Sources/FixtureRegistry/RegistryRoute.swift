import Foundation

/// What a request path asks for: the one place that maps registry paths to
/// package names, versions and tarball files.
///
/// npm writes a scoped packument path as `@scope%2fname` (npm-package-arg's
/// `escapedName`), other clients as `@scope/name`, some with `%2F` or `%40`;
/// all of them resolve to the same ``PackageName``. The path is taken raw
/// (percent-encoded) from the request and relative to the registry prefix.
public enum RegistryRoute: Sendable, Hashable {
    /// `GET /-/ping`
    case ping
    /// `GET /<name>`: the packument.
    case packument(PackageName)
    /// `GET /<name>/<version-or-tag>`: one version document.
    case manifest(PackageName, spec: String)
    /// `GET /<name>/-/<unscoped>-<version>.tgz`
    case tarball(PackageName, version: String)

    /// The package a route is about, if any.
    public var packageName: PackageName? {
        switch self {
        case .ping: nil
        case .packument(let name), .manifest(let name, _), .tarball(let name, _): name
        }
    }

    // MARK: - Resolving

    /// Resolves a raw request path under `prefix` (normalised, `/` or `/npm/`).
    ///
    /// - Returns: nil for paths outside the prefix or of no known shape (a 404).
    /// - Throws: ``RegistryError`` when the path names an invalid package, version or file (a 400).
    public static func resolve(path rawPath: String, prefix: String = "/") throws(RegistryError) -> RegistryRoute? {
        guard rawPath.utf8.count <= RegistryLimits.maxRequestPathLength, rawPath.hasPrefix(prefix) else { return nil }
        let relative = rawPath.dropFirst(prefix.count)
        guard !relative.isEmpty else { return nil }
        var segments: [String] = []
        for raw in relative.split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = raw.removingPercentEncoding, !decoded.isEmpty,
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return nil }
            segments.append(decoded)
        }
        if segments.first == "-" {
            return segments == ["-", "ping"] ? .ping : nil
        }
        // `@scope%2fname` decodes to one segment holding a slash; split it back out.
        if segments[0].hasPrefix("@"), segments[0].contains("/") {
            segments.replaceSubrange(0...0, with: segments[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init))
        }
        let nameCount = segments[0].hasPrefix("@") ? 2 : 1
        guard segments.count >= nameCount else { throw .invalidPackageName(segments[0], reason: "a scoped name needs @scope/name") }
        let name = try PackageName(segments[..<nameCount].joined(separator: "/"))
        let rest = Array(segments[nameCount...])
        switch rest.count {
        case 0:
            return .packument(name)
        case 1:
            guard !rest[0].contains("/"), rest[0].count <= RegistryLimits.maxVersionLength else { return nil }
            return .manifest(name, spec: rest[0])
        case 2 where rest[0] == "-":
            guard let version = name.version(fromTarballFileName: rest[1]) else {
                throw .invalidVersion(rest[1], reason: "expected a tarball file named \(name.tarballFileName(version: "<version>"))")
            }
            return .tarball(name, version: version)
        default:
            return nil
        }
    }

    /// Normalises a registry path prefix to start and end with `/` (`npm` → `/npm/`).
    public static func normalize(prefix: String) throws(RegistryError) -> String {
        let trimmed = prefix.split(separator: "/").joined(separator: "/")
        guard trimmed.allSatisfy({ $0.isLetter || $0.isNumber || "-._~/".contains($0) }), !trimmed.contains("..") else {
            throw .serverStart("path prefix \"\(prefix)\" may hold only letters, digits, '-._~' and '/'")
        }
        return trimmed.isEmpty ? "/" : "/\(trimmed)/"
    }
}
