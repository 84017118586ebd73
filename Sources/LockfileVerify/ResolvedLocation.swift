import FoundationEssentials
import NpmModel

/// Whether a lockfile's `resolved` URL names where the registry serves the version
/// (`dist.tarball`): the package manager downloads from the lockfile's URL, so one on another host
/// or path fetches other bytes than were judged (found by review: a tarball on an outside host, or
/// another package's tarball, was reported verified). npm's `replace-registry-host` and Yarn read
/// `registry.npmjs.org` and `registry.yarnpkg.com` as the configured registry, so on those hosts
/// only the path is compared. Query and fragment (Yarn's `#sha1`) are not compared.
enum ResolvedLocation {
    static let publicHosts: Set<String> = ["registry.npmjs.org", "registry.yarnpkg.com"]

    /// Why `resolved` is not `tarball`'s location; nil when it is, or when `resolved` is no http(s) URL.
    static func mismatch(resolved: String, tarball: String) -> String? {
        guard let ours = URLComponents(string: resolved), let scheme = ours.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        guard let theirs = URLComponents(string: tarball), let host = URLHost.of(resolved, parsed: ours)?.lowercased(),
              let registryHost = URLHost.of(tarball, parsed: theirs)?.lowercased() else {
            return "resolved \(resolved) cannot be compared with the registry's tarball URL \(tarball)"
        }
        let samePath = ours.percentEncodedPath.utf8.elementsEqual(theirs.percentEncodedPath.utf8)
        let sameHost = host == registryHost && ours.port == theirs.port
        if samePath, sameHost || publicHosts.contains(host) { return nil }
        return "resolved is \(resolved), but the registry serves this version at \(tarball); the package manager downloads from the lockfile's URL"
    }
}
