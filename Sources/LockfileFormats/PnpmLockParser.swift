import NpmModel
import SafeJSON
import Semver

/// `pnpm-lock.yaml` v6 (`/name@version(peers)` keys) and v9 (`name@version` keys, peers in `snapshots`).
struct PnpmLockParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: its `pnpm.overrides` and `resolutions`.
    var project: JSONValue? = nil

    func parse(_ text: String) throws -> ParsedLockfile {
        // pnpm "fixes" a lockfile holding these markers by dropping the marker lines and reading
        // what is left, a document this reader never sees: refused.
        if ["<<<<<<<", "=======", ">>>>>>>"].allSatisfy(text.contains) {
            throw LockfileError("pnpm-lock.yaml holds merge-conflict markers; pnpm would merge both sides: resolve the conflict first")
        }
        let tree = try YamlTree.parse(text, limits: limits, file: "pnpm-lock.yaml")
        let version = tree["lockfileVersion"]?.string ?? ""
        // The major version's digits, never a Double converted to Int (found by review: `1e400` and
        // `nan` trapped the conversion).
        let digits = version.prefix { $0 != "." }
        guard let major = digits.allSatisfy(\.isASCII) ? Int(digits) : nil, major == 6 || major == 9,
              version.dropFirst(digits.count).isEmpty || version.dropFirst(digits.count + 1).allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw LockfileError("pnpm-lock.yaml: lockfileVersion '\(version)' is not supported (6.x or 9.x)")
        }
        let packages = tree["packages"]?.entries ?? []
        guard packages.count <= limits.maxEntries else { throw LockfileError("pnpm-lock.yaml has more than \(limits.maxEntries) packages") }
        let patched = major == 9 ? try Self.checkSnapshots(tree["snapshots"]?.entries ?? [], packages: packages) : []
        var out = try packages.map { try entry(key: $0.key, $0.value, line: $0.line, v6: major == 6) }
        // What pnpm links each package's dependencies to: v9's snapshots (one per peer context),
        // v6's package entries. Compared with the registry manifest (found by review), the
        // project's own overrides replacing its ranges; where package extensions may add names,
        // only the versions of declared names are.
        let linked = Self.lockedDependencies(major == 6 ? packages : tree["snapshots"]?.entries ?? [])
        let overrides = EntryClassifier.overrideSpecs(project: project, manager: .pnpm)
        let claims = Self.aliasClaims(tree, v6: major == 6)
        let sources = Self.sourceClaims(tree, v6: major == 6, keys: Set(packages.map(\.key)))
        for index in out.indices {
            out[index].lockedDependencies = linked[Self.baseKey(out[index].key)] ?? [:]
            out[index].dependencyOverrides = overrides
            out[index].namesMayBeExtended = tree["packageExtensionsChecksum"] != nil
            out[index].aliasClaims = claims[Self.baseKey(out[index].key)] ?? []
            out[index].sourceClaims = sources[out[index].key] ?? []
        }
        // A patched package's base is still the registry's bytes; only the patch is listed.
        let patchedNames = EntryClassifier.PatchedKeys(Self.patchedDependencies(tree))
        out = out.flatMap { package in
            guard case .registry = package.kind, package.key.contains("(patch_hash=") || patched.contains(Array(package.key.utf8))
                || patchedNames.contains(package) else { return [package] }
            return EntryClassifier.splitPatched(package, by: "pnpm")
        }
        out += try links(tree)
        try Self.checkImporterAliases(tree, overrides: overrides)
        return ParsedLockfile(format: .pnpm, formatVersion: version, packages: out)
    }

    func entry(key: String, _ value: YamlTree, line: Int, v6: Bool) throws -> LockedPackage {
        let resolution = value["resolution"]
        var descriptor = key
        if v6 {
            guard key.hasBytePrefix("/") else { return try unresolvedKey(key, value, line: line) }
            descriptor.removeFirst()
        }
        if let paren = descriptor.firstIndex(of: "(") { descriptor = String(descriptor[..<paren]) }
        guard let (name, rest) = EntryClassifier.splitDescriptor(descriptor) else {
            throw LockfileError("pnpm-lock.yaml: package key \(key) is not name@version")
        }
        if !v6 {
            // pnpm 9 builds each node as its snapshot with the packages entry laid over it, and never
            // writes these there: one would replace what the snapshot says (found by review).
            for field in ["dependencies", "optionalDependencies", "transitivePeerDependencies"] where value[field] != nil {
                throw LockfileError("pnpm-lock.yaml line \(line): package \(key) carries \(field), which pnpm would take over its snapshot's: refused")
            }
        }
        // pnpm fetches `version:` when there is one: it must be the key's (found by review: the range
        // was checked on the key, another version fetched).
        if let version = value["version"]?.string, SemanticVersion(rest) != nil, version != rest {
            throw LockfileError("pnpm-lock.yaml line \(line): package \(key) records version \(version): pnpm would install that, not \(rest)")
        }
        var package = LockedPackage(key: key, name: try EntryClassifier.validName(name, entry: key), version: value["version"]?.string ?? rest,
                                    resolved: resolution?["tarball"]?.string, integrity: resolution?["integrity"]?.string, line: line)
        // pnpm picks its fetcher from `resolution.type`, and the git and folder fetchers ignore
        // `integrity`: a registry version resolved that way is a forgery, not a git dependency.
        if SemanticVersion(rest) != nil, let resolution, ["type", "repo", "commit", "directory"].contains(where: { resolution[$0] != nil }) {
            throw LockfileError("pnpm-lock.yaml line \(line): \(key) names a registry version but resolves from git or a folder, whose bytes pnpm does not check")
        }
        if let reason = NpmSource.nonRegistryReason(rest) {
            package.kind = .notVerifiable(reason)
        } else if SemanticVersion(rest) == nil, let reason = Self.nonRegistry(resolution) {
            package.kind = .notVerifiable(reason)
        }
        // A registry version (name@semver) stays a registry entry whatever its resolution says: one
        // without integrity (a bare tarball, a folder, git) then fails, as pnpm would not check its bytes.
        return package
    }

    /// v9: pnpm installs each `snapshots` key merged with `packages[key without peers]`, so a
    /// snapshot must name a package listed there and carry nothing that would stand in for it.
    /// Returns the `packages` keys some snapshot patches (`(patch_hash=…)`): pnpm 9 marks only the snapshot.
    static func checkSnapshots(_ snapshots: [(key: String, value: YamlTree, line: Int)],
                               packages: [(key: String, value: YamlTree, line: Int)]) throws -> Set<[UInt8]> {
        let listed = Set(packages.map { Array($0.key.utf8) })
        var patched = Set<[UInt8]>()
        for snapshot in snapshots {
            for field in ["resolution", "version", "name"] where snapshot.value[field] != nil {
                throw LockfileError("pnpm-lock.yaml line \(snapshot.line): snapshot \(snapshot.key) carries `\(field)`, which pnpm would use for the package: refused")
            }
            let base = snapshot.key.firstIndex(of: "(").map { String(snapshot.key[..<$0]) } ?? snapshot.key
            guard listed.contains(Array(base.utf8)) else {
                throw LockfileError("pnpm-lock.yaml line \(snapshot.line): snapshot \(snapshot.key) has no packages entry \(base); pnpm would install it from the snapshot alone")
            }
            if snapshot.key.contains("(patch_hash=") { patched.insert(Array(base.utf8)) }
        }
        return patched
    }

    /// A v6 key without the leading `/`: a tarball URL, git host path or local folder.
    func unresolvedKey(_ key: String, _ value: YamlTree, line: Int) throws -> LockedPackage {
        let name = try EntryClassifier.validName(value["name"]?.string ?? "", entry: key)
        let reason = NpmSource.nonRegistryReason(key) ?? Self.nonRegistry(value["resolution"]) ?? "not a registry package (\(key))"
        return LockedPackage(key: key, name: name, version: value["version"]?.string ?? "",
                             resolved: value["resolution"]?["tarball"]?.string, kind: .notVerifiable(reason), line: line)
    }

    /// Why a `resolution` is not a registry download: git, a folder, or a tarball outside the registry.
    static func nonRegistry(_ resolution: YamlTree?) -> String? {
        guard let resolution else { return "no resolution recorded" }
        if resolution["type"]?.string == "git" || resolution["repo"] != nil { return "git dependency (\(resolution["repo"]?.string ?? "?"))" }
        if let directory = resolution["directory"]?.string { return "local folder (\(directory))" }
        if resolution["integrity"] == nil, let tarball = resolution["tarball"]?.string {
            return NpmSource.nonRegistryReason(tarball) ?? "tarball without integrity (\(tarball))"
        }
        return nil
    }

    /// Per package key (peer suffix dropped): the `dependencies` and `optionalDependencies` its
    /// snapshots (or v6 entries) link, name → reference (a version, an alias, a source).
    static func lockedDependencies(_ entries: [(key: String, value: YamlTree, line: Int)]) -> [String: [String: [String]]] {
        var linked: [String: [String: [String]]] = [:]
        for (key, value, _) in entries {
            for field in ["dependencies", "optionalDependencies"] {
                for (name, reference, _) in value[field]?.entries ?? [] {
                    // `bar: bar@0.9.0` names the dependency itself: pnpm reads the version after it.
                    var text = reference.string ?? ""
                    if let (named, version) = EntryClassifier.splitDescriptor(text), named.utf8.elementsEqual(name.utf8) { text = version }
                    linked[baseKey(key), default: [:]][name, default: []].append(text)
                }
            }
        }
        return linked
    }

    /// A `packages` key without its peer suffix (`(react@18.0.0)`), as dependencies refer to it.
    static func baseKey(_ key: String) -> String {
        key.firstIndex(of: "(").map { String(key[..<$0]) } ?? key
    }

    /// The keys of the top-level `patchedDependencies` (`name@version`, or `name` for every
    /// version): pnpm patches those packages by name and version, whatever their keys say.
    static func patchedDependencies(_ tree: YamlTree) -> [String] {
        tree["patchedDependencies"]?.entries.map(\.key) ?? []
    }

    /// `link:` and `file:` references, from the importers and from every package's own
    /// dependencies (pnpm links or copies those folders, whatever the registry says).
    func links(_ tree: YamlTree) throws -> [LockedPackage] {
        var dependents: [(key: String?, value: YamlTree)] = (tree["importers"]?.entries.map { (nil, $0.value) } ?? []) + [(nil, tree)]
        dependents += ((tree["snapshots"]?.entries ?? []) + (tree["packages"]?.entries ?? [])).map { ($0.key, $0.value) }
        var out: [LockedPackage] = []
        for dependent in dependents {
            for section in ["dependencies", "devDependencies", "optionalDependencies"] {
                for (name, value, line) in dependent.value[section]?.entries ?? [] {
                    guard let version = value["version"]?.string ?? value.string,
                          version.hasBytePrefix("link:") || version.hasBytePrefix("file:") else { continue }
                    var link = LockedPackage(key: name, name: try EntryClassifier.validName(name, entry: name), version: version,
                                             kind: .notVerifiable(version.hasBytePrefix("link:") ? "linked local folder (\(version))" : "local file dependency (\(version))"),
                                             line: line)
                    // A registry package's link is only the lockfile's word: confirmed against its
                    // registry manifest (found by a re-attack: pnpm symlinked its range to any folder).
                    if let key = dependent.key.map(Self.baseKey), let (owner, ownerVersion) = EntryClassifier.splitDescriptor(key.hasBytePrefix("/") ? key.droppingBytePrefix("/") : key),
                       SemanticVersion(ownerVersion) != nil {
                        link.sourceClaims = [.init(dependentName: owner, dependentVersion: ownerVersion, dependency: name)]
                    }
                    out.append(link)
                }
            }
        }
        return out
    }
}
