import DurableFile
import FoundationEssentials
import NpmModel
import SafeJSON

/// Files beside a lockfile that make the package manager run the repository's own code, or fetch
/// from elsewhere, when it installs: pnpm's hooks file (`.pnpmfile.cjs`, or `pnpmfile` in `.npmrc`
/// or `pnpm-workspace.yaml`) rewrites manifests and resolutions; Yarn's `yarn-path` (`.yarnrc`)
/// and `yarnPath` and `plugins` (`.yarnrc.yml`, which Yarn 1.22 reads too) run code from the
/// repository, and `npmRegistryServer` / `npmScopes` say where Berry downloads; pnpm's
/// `git-branch-lockfile` makes it read another lockfile. None of that is in the lockfile, so
/// each is listed as an entry the gate cannot verify (`--fail-on-unverifiable` fails on it).
enum ProjectHooks {
    static let configDependencies = "pnpm installs config dependencies from the registry before anything else, outside pnpm-lock.yaml's packages, and runs the pnpmfile of a pnpm-plugin-* one at every install"
    static let branchLockfiles = "pnpm reads pnpm-lock.<branch>.yaml before pnpm-lock.yaml, or merges the branch lockfiles into it, so it may install from a file verify-lockfile did not read"

    static func items(beside lockfile: URL, format: LockfileFormat, limits: LockfileLimits) throws -> [LockedPackage] {
        let folder = lockfile.deletingLastPathComponent()
        var items: [LockedPackage] = []
        func item(_ key: String, _ why: String) {
            items.append(LockedPackage(key: key, name: key, version: "", kind: .notVerifiable(why)))
        }
        func text(_ file: String) throws -> String? { try Self.text(of: folder.appendingPathComponent(file), limit: limits.maxBytes) }
        if format == .pnpm {
            // pnpm 11 loads .pnpmfile.mjs ahead of .cjs (found by review: only .cjs was listed).
            for hooks in [".pnpmfile.cjs", ".pnpmfile.mjs"] where FileManager.default.fileExists(atPath: folder.appendingPathComponent(hooks).path) {
                item(hooks, "pnpm runs its hooks (readPackage, afterAllResolved…) when it installs; they can change what is installed")
            }
            // Config dependencies are installed first, outside pnpm-lock.yaml's packages (pnpm 11
            // locks them in pnpm-lock.env.yaml), and a `pnpm-plugin-*` one's pnpmfile runs at
            // every install (found by review).
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("pnpm-lock.env.yaml").path) {
                item("pnpm-lock.env.yaml", Self.configDependencies)
            }
            if let manifest = try text("package.json"), let json = try? JSONValue.parseAsNpmReadsFile(Data(manifest.utf8)),
               json["pnpm"]?["configDependencies"] != nil {
                item("package.json pnpm.configDependencies", Self.configDependencies)
            }
            // Read as pnpm reads them: .npmrc through npm's ini reader, pnpm-workspace.yaml as YAML
            // (a line scan missed quoted keys, flow mappings and keys merged with a combining mark).
            let npmrcKeys = Set(IniText.topLevel(try text(".npmrc") ?? "").map { Array($0.key.utf8) })
            if npmrcKeys.contains(Array("pnpmfile".utf8)) || npmrcKeys.contains(Array("global-pnpmfile".utf8)) {
                item(".npmrc pnpmfile", "pnpm runs the hooks file .npmrc names when it installs; they can change what is installed")
            }
            if let workspace = try text("pnpm-workspace.yaml") {
                let tree = try YamlTree.parse(workspace, limits: limits, file: "pnpm-workspace.yaml")
                if tree["pnpmfile"] != nil || tree["globalPnpmfile"] != nil {
                    item("pnpm-workspace.yaml pnpmfile", "pnpm runs the hooks file pnpm-workspace.yaml names when it installs; they can change what is installed")
                }
                if tree["gitBranchLockfile"] != nil || tree["mergeGitBranchLockfilesBranchPattern"] != nil {
                    item("pnpm-workspace.yaml gitBranchLockfile", Self.branchLockfiles)
                }
                if tree["configDependencies"] != nil { item("pnpm-workspace.yaml configDependencies", Self.configDependencies) }
            }
            if npmrcKeys.contains(Array("git-branch-lockfile".utf8)) || npmrcKeys.contains(Array("merge-git-branch-lockfiles-branch-pattern".utf8)) {
                item(".npmrc git-branch-lockfile", Self.branchLockfiles)
            }
        }
        if format == .yarnClassic, let yarnrc = try text(".yarnrc"),
           try YarnClassicDocument.parse(yarnrc, maxDepth: limits.maxDepth).pairs.contains(where: { $0.keys.contains { $0.utf8.elementsEqual("yarn-path".utf8) } }) {
            item(".yarnrc yarn-path", "Yarn 1 runs the file yarn-path names from the repository as itself")
        }
        guard format == .yarnBerry || format == .yarnClassic else { return items }
        // Berry merges the .yarnrc.yml of every folder above too (found by review: a parent's
        // registry or yarnPath was not listed); Yarn 1 reads the one beside the lockfile.
        var ancestor = URL(fileURLWithPath: folder.path).standardizedFileURL, name = ".yarnrc.yml"
        for _ in 0..<256 {
            if let text = try Self.text(of: ancestor.appendingPathComponent(".yarnrc.yml"), limit: limits.maxBytes) {
                let tree = try YamlTree.parse(text, limits: limits, file: name)
                if let path = tree["yarnPath"]?.string { item("\(name) yarnPath", "Yarn runs \(path) from the repository as itself") }
                if format == .yarnBerry {
                    if tree["plugins"] != nil { item("\(name) plugins", "Yarn loads plugins from the repository, which can change what is installed") }
                    if let server = tree["npmRegistryServer"]?.string { item("\(name) npmRegistryServer", "Yarn downloads from \(server), which verify-lockfile did not ask") }
                    if tree["npmScopes"] != nil { item("\(name) npmScopes", "Yarn downloads some scopes from registries set there, which verify-lockfile did not ask") }
                }
            }
            let parent = ancestor.deletingLastPathComponent()
            guard format == .yarnBerry, parent.path != ancestor.path, ancestor.pathComponents.count > 1 else { return items }
            (ancestor, name) = (parent, "../" + name)
        }
        return items
    }

    /// A side file as the package manager reads it (Node's readFile as UTF-8: an invalid byte is
    /// U+FFFD, never a reason to skip the file); nil only when it does not exist. One that exists
    /// but cannot be read within `limit` bytes, or is not a regular file, is refused: found by
    /// review, a single invalid byte made a hooks file look absent, and verify-lockfile passed.
    static func text(of file: URL, limit: Int) throws -> String? {
        do {
            return try DurableFile.read(file.path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw LockfileError("cannot read \(file.path), which the package manager reads when it installs: \(error.reason)")
        }
    }
}
