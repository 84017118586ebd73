import FoundationEssentials
import LockfileFormats
import NpmModel

/// Whether a lockfile's `resolved` URL names where the registry serves the version
/// (`dist.tarball`): the package manager downloads from the lockfile's URL, so one on another host
/// or path fetches other bytes than were judged (found by review: a tarball on an outside host, or
/// another package's tarball, was reported verified). npm's `replace-registry-host` reads
/// `registry.npmjs.org` as the configured registry, so there only the path is compared; Yarn 1 and
/// pnpm fetch `resolved` as written, and only `registry.npmjs.org` and `registry.yarnpkg.com` serve
/// the same documents. A URL that cannot be read the same way here and in the package manager
/// (a tab, a backslash) cannot be compared, which fails. Query and fragment are not compared.
enum ResolvedLocation {
    static let publicHosts: Set<String> = ["registry.npmjs.org", "registry.yarnpkg.com"]

    /// Why `resolved` is not `tarball`'s location; nil when it is, or when `resolved` is no http(s)
    /// URL (those are judged by the readers) or, in bun.lock, the registry's base URL.
    static func mismatch(resolved: String, tarball: String, format: LockfileFormat) -> String? {
        let lower = resolved.lowercased()
        guard format != .bun, lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        guard let ours = URLComponents(string: resolved), let theirs = URLComponents(string: tarball),
              let host = URLHost.of(resolved, parsed: ours)?.lowercased(), let registryHost = URLHost.of(tarball, parsed: theirs)?.lowercased() else {
            return "resolved \(resolved) cannot be compared with the registry's tarball URL \(tarball) (package managers may read it another way)"
        }
        let samePath = ours.percentEncodedPath.utf8.elementsEqual(theirs.percentEncodedPath.utf8)
        let sameHost = host == registryHost && ours.port == theirs.port
        let sameRegistry = format == .npm ? host == "registry.npmjs.org" : publicHosts.contains(host) && publicHosts.contains(registryHost)
        if samePath, sameHost || sameRegistry { return nil }
        return "resolved is \(resolved), but the registry serves this version at \(tarball); the package manager downloads from the lockfile's URL"
    }
}
