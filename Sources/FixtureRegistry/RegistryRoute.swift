import Foundation
import Hex

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
    /// `PUT /<name>/-rev/<rev>` (unpublish's packument update), `DELETE` of the whole package.
    case packumentRevision(PackageName, revision: String)
    /// `DELETE /<name>/-/<file>.tgz/-rev/<rev>`: unpublish's tarball removal.
    case tarballRevision(PackageName, version: String, revision: String)
    /// `GET /-/whoami`
    case whoami
    /// `PUT /-/user/org.couchdb.user:<name>`: npm's legacy (CouchDB) login.
    case user(String)
    /// `GET /-/npm/v1/keys`
    case keys
    /// `GET /-/npm/v1/attestations/<name>@<version>`
    case attestations(PackageName, version: String)
    /// `GET /-/package/<name>/dist-tags`
    case distTags(PackageName)
    /// `PUT`/`DELETE /-/package/<name>/dist-tags/<tag>`
    case distTag(PackageName, tag: String)

    /// The package a route is about, if any.
    public var packageName: PackageName? {
        switch self {
        case .ping, .whoami, .user, .keys: nil
        case .packument(let name), .manifest(let name, _), .tarball(let name, _), .packumentRevision(let name, _),
             .tarballRevision(let name, _, _), .attestations(let name, _), .distTags(let name), .distTag(let name, _): name
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
            guard let decoded = Hex.percentDecoded(raw), !decoded.isEmpty,
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return nil }
            segments.append(decoded)
        }
        if segments.first == "-" { return try resolveDash(Array(segments.dropFirst())) }
        // `@scope%2fname` decodes to one segment holding a slash; split it back out.
        if segments[0].hasPrefix("@"), segments[0].utf8.contains(UInt8(ascii: "/")) {
            segments.replaceSubrange(0...0, with: segments[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init))
        }
        let (name, rest) = try splitName(segments)
        switch rest.count {
        case 0:
            return .packument(name)
        case 1:
            guard !rest[0].utf8.contains(UInt8(ascii: "/")), rest[0].count <= RegistryLimits.maxVersionLength else { return nil }
            return .manifest(name, spec: rest[0])
        case 2 where rest[0] == "-":
            guard let version = name.version(fromTarballFileName: rest[1]) else {
                throw .invalidVersion(rest[1], reason: "expected a tarball file named \(name.tarballFileName(version: "<version>"))")
            }
            return .tarball(name, version: version)
        case 2 where rest[0] == "-rev":
            return .packumentRevision(name, revision: rest[1])
        case 4 where rest[0] == "-" && rest[2] == "-rev":
            guard let version = name.version(fromTarballFileName: rest[1]) else {
                throw .invalidVersion(rest[1], reason: "expected a tarball file named \(name.tarballFileName(version: "<version>"))")
            }
            return .tarballRevision(name, version: version, revision: rest[3])
        default:
            return nil
        }
    }

    /// `-/…` routes (segments after the `-`).
    private static func resolveDash(_ rest: [String]) throws(RegistryError) -> RegistryRoute? {
        switch rest.first {
        case "ping" where rest.count == 1: return .ping
        case "whoami" where rest.count == 1: return .whoami
        case "user" where rest.count == 2 && rest[1].hasPrefix("org.couchdb.user:"):
            return .user(String(rest[1].dropFirst("org.couchdb.user:".count)))
        case "npm" where rest == ["npm", "v1", "keys"]: return .keys
        case "npm" where rest.count >= 4 && rest[1] == "v1" && rest[2] == "attestations":
            // `<name>@<version>`; the name may be `@scope%2fname` (one segment) or `@scope/name` (two).
            let spec = rest[3...].joined(separator: "/")
            guard let at = spec.lastIndex(of: "@"), at != spec.startIndex else { return nil }
            let version = String(spec[spec.index(after: at)...])
            try PackageName.validate(version: version)
            return .attestations(try PackageName(String(spec[..<at])), version: version)
        case "package" where rest.count >= 3:
            var segments = Array(rest.dropFirst())
            if segments[0].hasPrefix("@"), segments[0].utf8.contains(UInt8(ascii: "/")) {
                segments.replaceSubrange(0...0, with: segments[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init))
            }
            let (name, tail) = try splitName(segments)
            if tail == ["dist-tags"] { return .distTags(name) }
            if tail.count == 2, tail[0] == "dist-tags" {
                try RegistryStorage.validate(tag: tail[1])
                return .distTag(name, tag: tail[1])
            }
            return nil
        default: return nil
        }
    }

    /// Splits leading name segments (one, or two for `@scope`) from the rest.
    private static func splitName(_ segments: [String]) throws(RegistryError) -> (PackageName, [String]) {
        let nameCount = segments[0].hasPrefix("@") ? 2 : 1
        guard segments.count >= nameCount else { throw .invalidPackageName(segments[0], reason: "a scoped name needs @scope/name") }
        let name = try PackageName(segments[..<nameCount].joined(separator: "/"))
        return (name, Array(segments[nameCount...]))
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
