import SafeJSON
import FoundationEssentials
public import LockfileFormats
import NpmModel

/// Whether a lockfile's `resolved` URL names where the registry serves the version
/// (`dist.tarball`): the package manager downloads from the lockfile's URL, so one on another host
/// path or scheme fetches other bytes than were judged (found by review: a tarball on an outside
/// host, or another package's tarball, was reported verified). Each manager reads it its own way:
/// - npm (`replace-registry-host`, arborist's `#registryResolved`) fetches a `registry.npmjs.org`
///   URL from the default registry: that URL's path (and form-encoded query) appended to it;
/// - pnpm resolves a relative `tarball` against the package's registry;
/// - Yarn 1, pnpm and Bun fetch an absolute URL as written; only `registry.npmjs.org` and
///   `registry.yarnpkg.com` serve the same documents.
/// A URL that cannot be read the same way here and in the package manager (a tab, a backslash)
/// cannot be compared, which fails. A fragment (Yarn's `#sha1`) is not part of the location.
public enum ResolvedLocation {
    static let publicHosts: Set<String> = ["registry.npmjs.org", "registry.yarnpkg.com"]

    /// Why `resolved` is not `tarball`'s location; nil when it is, or when `resolved` is no URL
    /// (the readers judge those). `registry` is the package's registry, `defaultRegistry` npm's.
    public static func mismatch(resolved: String, tarball: String, format: LockfileFormat, registry: String, defaultRegistry: String) -> String? {
        let lower = resolved.lowercased()
        var text = resolved
        if format == .pnpm, !lower.hasBytePrefix("http://"), !lower.hasBytePrefix("https://") {
            guard let base = URL(string: registry.hasByteSuffix("/") ? registry : registry + "/"),
                  let absolute = URL(string: resolved, relativeTo: base)?.absoluteString else { return cannotCompare(resolved, tarball) }
            text = absolute
        } else if !lower.hasBytePrefix("http://"), !lower.hasBytePrefix("https://") {
            return nil
        }
        guard let ours = URLComponents(string: text), let theirs = URLComponents(string: tarball),
              let host = URLHost.of(text, parsed: ours)?.lowercased(), let registryHost = URLHost.of(tarball, parsed: theirs)?.lowercased() else {
            return cannotCompare(resolved, tarball)
        }
        if format == .npm, host == "registry.npmjs.org" {
            // Fetched from the default registry: a query there would be appended without its `?`.
            guard ours.percentEncodedQuery == nil else { return elsewhere(resolved, tarball, "npm appends its query to the path") }
            let mapped = (defaultRegistry.hasByteSuffix("/") ? defaultRegistry.droppingByteSuffix("/") : defaultRegistry) + ours.percentEncodedPath
            guard let fetched = URLComponents(string: mapped), URLHost.of(mapped, parsed: fetched)?.lowercased() == registryHost, fetched.port == theirs.port,
                  fetched.percentEncodedPath.utf8.elementsEqual(theirs.percentEncodedPath.utf8) else {
                return elsewhere(resolved, tarball, "npm fetches it as \(mapped)")
            }
            return nil
        }
        let samePath = ours.percentEncodedPath.utf8.elementsEqual(theirs.percentEncodedPath.utf8)
        let sameHost = host == registryHost && ours.port == theirs.port
        // An http URL for an https tarball is a download any network can change (found by review).
        let sameScheme = ours.scheme?.lowercased() == theirs.scheme?.lowercased()
        if samePath, ours.percentEncodedQuery == theirs.percentEncodedQuery, sameScheme,
           sameHost || publicHosts.contains(host) && publicHosts.contains(registryHost) { return nil }
        return elsewhere(resolved, tarball, sameScheme ? nil : "another scheme")
    }

    private static func cannotCompare(_ resolved: String, _ tarball: String) -> String {
        "resolved \(resolved) cannot be compared with the registry's tarball URL \(tarball) (package managers may read it another way)"
    }

    private static func elsewhere(_ resolved: String, _ tarball: String, _ how: String?) -> String {
        "resolved is \(resolved)\(how.map { " (\($0))" } ?? ""), but the registry serves this version at \(tarball); the package manager downloads from the lockfile's URL"
    }
}
