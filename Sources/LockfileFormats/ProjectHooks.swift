import FoundationEssentials

/// Files beside a lockfile that make the package manager run the repository's own code, or fetch
/// from elsewhere, when it installs: pnpm's `.pnpmfile.cjs` hooks rewrite manifests and
/// resolutions; Yarn Berry's `yarnPath` and `plugins` run code from the repository, and its
/// `npmRegistryServer` / `npmScopes` say where it downloads. None of that is in the lockfile, so
/// each is listed as an entry the gate cannot verify (`--fail-on-unverifiable` fails on it).
enum ProjectHooks {
    static func items(beside lockfile: URL, format: LockfileFormat, limits: LockfileLimits) throws -> [LockedPackage] {
        let folder = lockfile.deletingLastPathComponent()
        var items: [LockedPackage] = []
        func item(_ key: String, _ why: String) {
            items.append(LockedPackage(key: key, name: key, version: "", kind: .notVerifiable(why)))
        }
        if format == .pnpm, FileManager.default.fileExists(atPath: folder.appendingPathComponent(".pnpmfile.cjs").path) {
            item(".pnpmfile.cjs", "pnpm runs its hooks (readPackage, afterAllResolved…) when it installs; they can change what is installed")
        }
        let yarnrc = folder.appendingPathComponent(".yarnrc.yml")
        guard format == .yarnBerry, let text = try? String(contentsOf: yarnrc, encoding: .utf8) else { return items }
        let tree = try YamlTree.parse(text, limits: limits, file: ".yarnrc.yml")
        if let path = tree["yarnPath"]?.string { item(".yarnrc.yml yarnPath", "Yarn runs \(path) from the repository as itself") }
        if tree["plugins"] != nil { item(".yarnrc.yml plugins", "Yarn loads plugins from the repository, which can change what is installed") }
        if let server = tree["npmRegistryServer"]?.string { item(".yarnrc.yml npmRegistryServer", "Yarn downloads from \(server), which verify-lockfile did not ask") }
        if tree["npmScopes"] != nil { item(".yarnrc.yml npmScopes", "Yarn downloads some scopes from registries set there, which verify-lockfile did not ask") }
        return items
    }
}
