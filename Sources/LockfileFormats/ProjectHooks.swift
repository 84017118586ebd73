import FoundationEssentials

/// Files beside a lockfile that make the package manager run the repository's own code, or fetch
/// from elsewhere, when it installs: pnpm's hooks file (`.pnpmfile.cjs`, or `pnpmfile` in `.npmrc`
/// or `pnpm-workspace.yaml`) rewrites manifests and resolutions; Yarn's `yarn-path` (`.yarnrc`)
/// and `yarnPath` and `plugins` (`.yarnrc.yml`, which Yarn 1.22 reads too) run code from the
/// repository, and `npmRegistryServer` / `npmScopes` say where Berry downloads. None of that is in the lockfile, so
/// each is listed as an entry the gate cannot verify (`--fail-on-unverifiable` fails on it).
enum ProjectHooks {
    static func items(beside lockfile: URL, format: LockfileFormat, limits: LockfileLimits) throws -> [LockedPackage] {
        let folder = lockfile.deletingLastPathComponent()
        var items: [LockedPackage] = []
        func item(_ key: String, _ why: String) {
            items.append(LockedPackage(key: key, name: key, version: "", kind: .notVerifiable(why)))
        }
        func text(_ file: String) -> String? { try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) }
        /// Whether a line of `text` sets `key` (`key=…`, `key: …` or Yarn 1's `key "…"`), at the start of a line.
        func sets(_ key: String, in text: String?) -> Bool {
            (text ?? "").split(whereSeparator: \.isNewline).contains { line in
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix(key) else { return false }
                return trimmed.dropFirst(key.count).first.map { " \t=:\"".contains($0) } ?? false
            }
        }
        if format == .pnpm {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".pnpmfile.cjs").path) {
                item(".pnpmfile.cjs", "pnpm runs its hooks (readPackage, afterAllResolved…) when it installs; they can change what is installed")
            }
            for file in [".npmrc", "pnpm-workspace.yaml"] where sets("pnpmfile", in: text(file)) {
                item("\(file) pnpmfile", "pnpm runs the hooks file \(file) names when it installs; they can change what is installed")
            }
        }
        if format == .yarnClassic, sets("yarn-path", in: text(".yarnrc")) {
            item(".yarnrc yarn-path", "Yarn 1 runs the file yarn-path names from the repository as itself")
        }
        guard format == .yarnBerry || format == .yarnClassic, let text = text(".yarnrc.yml") else { return items }
        let tree = try YamlTree.parse(text, limits: limits, file: ".yarnrc.yml")
        if let path = tree["yarnPath"]?.string { item(".yarnrc.yml yarnPath", "Yarn runs \(path) from the repository as itself") }
        guard format == .yarnBerry else { return items }
        if tree["plugins"] != nil { item(".yarnrc.yml plugins", "Yarn loads plugins from the repository, which can change what is installed") }
        if let server = tree["npmRegistryServer"]?.string { item(".yarnrc.yml npmRegistryServer", "Yarn downloads from \(server), which verify-lockfile did not ask") }
        if tree["npmScopes"] != nil { item(".yarnrc.yml npmScopes", "Yarn downloads some scopes from registries set there, which verify-lockfile did not ask") }
        return items
    }
}
