import FoundationEssentials
import NpmModel
import SafeJSON

/// `package-lock.json` / `npm-shrinkwrap.json`: v2 and v3 from `packages` (keyed by install path),
/// v1 from the nested `dependencies` tree.
struct NpmLockParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: its specs are the root's edges.
    var project: JSONValue? = nil
    /// A workspace folder's package.json, when it can be read: its specs are that workspace's edges.
    var workspaceManifest: (String) -> JSONValue? = { _ in nil }

    func parse(_ data: Data, text: String) throws -> ParsedLockfile {
        let json: JSONValue
        do { json = try JSONValue.parse(data, maxDepth: limits.maxDepth, maxValues: limits.maxNodes) } catch {
            throw LockfileError("package-lock.json is not valid JSON: \(error)")
        }
        guard let version = json["lockfileVersion"]?.integer(in: 1...3) else {
            throw LockfileError("package-lock.json: lockfileVersion must be 1, 2 or 3, found \(json["lockfileVersion"]?.briefDescription ?? "nothing")")
        }
        let locator = LineLocator(text: text)
        // npm (arborist) reads `packages` whenever it is there, whatever lockfileVersion says; only
        // without it does it fall back to the v1 `dependencies` tree. So must we.
        if let section = json["packages"], section.objectValue == nil {
            throw LockfileError("package-lock.json: packages is not an object; npm would still read it instead of dependencies")
        }
        if let packages = json["packages"]?.objectValue {
            if packages.isEmpty, !(json["dependencies"]?.objectValue?.isEmpty ?? true) {
                throw LockfileError("package-lock.json: packages is empty while dependencies lists entries; npm reads packages, so the pinned tree would be ignored")
            }
            return ParsedLockfile(format: .npm, formatVersion: "\(version)", packages: try fromPackages(packages, locator))
        }
        guard let dependencies = json["dependencies"]?.objectValue ?? (version == 1 ? [:] : nil) else {
            throw LockfileError("package-lock.json v\(version) has neither packages nor dependencies")
        }
        var out: [LockedPackage] = []
        try fromDependencies(dependencies, parent: "", depth: 0, locator, into: &out)
        return ParsedLockfile(format: .npm, formatVersion: "\(version)", packages: try checkV1Edges(out, dependencies))
    }

    /// v2/v3: one entry per install path; the root (`""`) is the project itself.
    func fromPackages(_ packages: [String: JSONValue], _ locator: LineLocator) throws -> [LockedPackage] {
        guard packages.count <= limits.maxEntries else { throw LockfileError("package-lock.json has \(packages.count) entries, more than \(limits.maxEntries)") }
        // An install path nests node_modules as deep as npm's own tree can, no deeper: each deeper
        // level made every lookup of an entry's parents cost more (found by a re-attack).
        let separator = Array("node_modules/".utf8)
        for path in packages.keys {
            let bytes = Array(path.utf8)
            let depth = bytes.indices.lazy.filter { bytes[$0...].starts(with: separator) }.count
            guard depth <= limits.maxDepth else { throw LockfileError("package-lock.json: \(path.prefix(200))… nests node_modules \(depth) deep, more than \(limits.maxDepth)") }
        }
        // Keys outside node_modules are workspace folders (`packages/a`); their own conflicting
        // dependencies sit below them (`packages/a/node_modules/x`).
        // A folder key has no `node_modules` segment at all, so no key can be read two ways.
        let folders = Set(packages.keys.filter { key in
            !key.isEmpty && !key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains { $0.elementsEqual("node_modules".utf8) }
        })
        let edges = try AliasEdges(npm: packages, workspaceFolders: folders, project: project, manifest: workspaceManifest)
        var out: [LockedPackage] = []
        for path in packages.keys.sorted() {
            let value = packages[path] ?? .null
            try Self.requireStrings(value, at: path.isEmpty ? "the root entry" : path)
            let line = locator.line(of: path)
            out += try DeclaredSpecs.items(in: value, who: path.isEmpty ? "package-lock.json root" : path,
                                           fields: path.isEmpty || folders.contains(path) ? DeclaredSpecs.fields : Array(DeclaredSpecs.fields.dropLast()),
                                           line: line)
            if !path.isEmpty { out.append(try entry(path: path, value, line: line, workspaceFolders: folders, edges: edges)) }
        }
        return out
    }

    /// arborist pastes these fields into spec strings whatever their JSON type (an array
    /// `["git+…"]` reads as `git+…`), so one that is not a string is refused, never read as absent.
    static func requireStrings(_ value: JSONValue, at path: String) throws {
        for key in ["name", "version", "resolved", "integrity", "from"] {
            if let field = value[key], field.stringValue == nil {
                throw LockfileError("package-lock.json: \(path) has a \(key) that is \(field.briefDescription), not a string")
            }
        }
    }

    /// The longest workspace folder `path` lies below, as `<folder>/node_modules/…`, compared as
    /// bytes (found by review: filtering every folder for every entry took 6.5 s for 10,000 of each).
    static func workspaceFolder(holding path: String, among folders: Set<String>) -> String? {
        guard !folders.isEmpty else { return nil }
        for prefix in Lockfile.enclosingFolders(of: path) {
            if let index = folders.firstIndex(of: String(prefix)), folders[index].utf8.elementsEqual(prefix.utf8) { return folders[index] }
        }
        return nil
    }

    func entry(path: String, _ value: JSONValue, line: Int, workspaceFolders: Set<String> = [], edges: AliasEdges? = nil) throws -> LockedPackage {
        // npm ci makes the entry itself the package, and runs its scripts (found by review).
        if JSONValue.isTruthy(value["scripts"]) {
            throw LockfileError("package-lock.json: \(path) carries scripts, which npm ci would run though no tarball declares them; npm never writes scripts into a lockfile")
        }
        let bins = try Self.bins(value, at: path)
        if workspaceFolders.contains(path) { return try workspaceFolder(path: path, value, line: line) }
        // The install path below the project or below the workspace folder that holds it.
        let folder = Self.workspaceFolder(holding: path, among: workspaceFolders)
        let installPath = folder.map { String(decoding: path.utf8.dropFirst($0.utf8.count + 1), as: UTF8.self) } ?? path
        let pathName = Lockfile.packageName(atPath: installPath)
        if !Lockfile.isValidInstallPath(installPath) {
            throw LockfileError("package-lock.json: \(path) is not a node_modules path of valid package names (below the project or a workspace folder)")
        }
        let name = try EntryClassifier.validName(value["name"]?.stringValue ?? pathName ?? path, entry: path)
        var package = LockedPackage(key: path, name: pathName ?? name, version: value["version"]?.stringValue ?? "",
                                    resolved: value["resolved"]?.stringValue, integrity: value["integrity"]?.stringValue, line: line)
        package.ownTree = Self.ownTree(value)
        package.bins = bins
        package.declared = .init(["dependencies", "optionalDependencies", "peerDependencies"].map { value[$0]?.stringMap ?? [:] }, includesPeers: true)
        if let source = source(of: package, value, edges: edges) {
            if source.refusable, !overridden(pathName ?? name), let refusal = edges?.sourceRefusal(key: path, reason: source.reason) {
                throw LockfileError("package-lock.json: " + refusal)
            }
            // npm ci installs an entry nothing depends on, and runs its scripts (checked with npm 10.8.2):
            // with package.json read, a git, file or URL entry no edge reaches is no choice of the project.
            if project != nil, source.refusable, !JSONValue.isTruthy(value["link"]), let edges, !edges.reached.contains(path) {
                throw LockfileError("package-lock.json: \(path) is not a registry package (\(source.reason)), and nothing in the project depends on it, yet npm ci would install it and run its scripts")
            }
            package.kind = .notVerifiable(source.listed)
        } else if package.version.isEmpty {
            // npm still installs what `resolved` names, from there (found by a re-attack).
            if let resolved = package.resolved {
                throw LockfileError("package-lock.json: \(path) records no version but resolves from \(resolved): npm installs it from there, and no version can be verified")
            }
            package.kind = .notVerifiable("no version recorded")
        } else if let pathName, name != pathName {
            // With or without `resolved`, npm installs `<name>@<version>` under the folder's name
            // (arborist's reify fetches the entry's own name and version: found by a re-attack).
            if let refusal = edges?.refusal(key: path, name: name) { throw LockfileError("package-lock.json: " + refusal) }
            guard !(edges?.isUndeclared(key: path) ?? false) else {
                package.kind = .notVerifiable("named \(name) but installed as \(pathName), and no dependency declares it as an npm:\(name) alias")
                return package
            }
            package.alias(installedAs: pathName, real: name, version: package.version)
            package.aliasClaims = edges?.claims[path] ?? []
        }
        return package
    }

    /// The entry's `bin`, which npm ci links as it reads it, whatever the tarball declares; nil when
    /// absent. A string or a list is refused with the other forms npm never writes.
    static func bins(_ value: JSONValue, at path: String) throws -> [String: String]? {
        guard let field = value["bin"], JSONValue.isTruthy(field) else { return nil }
        return try LockedBins.checked(field.stringMap, fieldCount: field.objectValue?.count ?? -1, file: "package-lock.json",
                                      entry: path, described: field.briefDescription)
    }

    /// Where an entry installs from when that is no registry tarball: a linked folder, git, a file,
    /// a URL or a local path, with what the report lists and whether a registry range reaching it
    /// refuses the lockfile (only a declared workspace may serve one by
    /// a link: found by a re-attack, `npm ci` linked node_modules/@mochi/runtime to vendor/ for
    /// `^1.2.0`). nil for a registry entry, and for an off-registry tarball only registry ranges
    /// reach, which is judged as the registry's version. arborist tests `link` for JavaScript
    /// truthiness (`if (meta.link)`), not for `true`. `inBundle` is no excuse: npm fetches a
    /// bundled entry its parent's tarball lacks from `resolved` (found by a re-attack); an entry
    /// really inside a registry package's bundle is set aside by the verifier, on the registry's word.
    func source(of package: LockedPackage, _ value: JSONValue, edges: AliasEdges?) -> (listed: String, reason: String, refusable: Bool)? {
        let path = package.key
        if JSONValue.isTruthy(value["link"]) {
            let reason = "linked local folder (\(package.resolved ?? path))"
            return (reason, reason, !isWorkspaceLink(path, to: package.resolved))
        }
        guard let resolved = package.resolved else { return nil }
        if let reason = NpmSource.nonRegistryReason(resolved) {
            let judgedAsRegistry = NpmSource.isOffRegistryTarball(resolved) && edges?.sourceRefusal(key: path, reason: reason) != nil
            return judgedAsRegistry ? nil : (reason, reason, true)
        }
        guard !Self.isAbsoluteURL(resolved) else { return nil }
        return ("resolved is not a registry URL; npm reads it as a local path (\(resolved))", "local path (\(resolved))", true)
    }

    /// Whether package.json `overrides` put a git, file or URL spec on `name`'s edges.
    func overridden(_ name: String) -> Bool {
        project.map { EntryClassifier.overridesSource($0, name: name) } ?? false
    }

    /// Whether the link entry at `path` is one of npm's workspaces: the root's `node_modules/<name>`,
    /// resolved to a folder the package.json's globs declare, whose own package.json names it `<name>`.
    /// Without package.json beside the lockfile nothing can be told, and no link is refused.
    func isWorkspaceLink(_ path: String, to folder: String?) -> Bool {
        guard let project else { return true }
        guard let folder = folder.map(EntryClassifier.normalizedFolder), WorkspaceGlobs(project).contains(folder),
              let manifest = workspaceManifest(folder) else { return false }
        let name = manifest["name"]?.stringValue ?? String(folder.split(separator: "/").last ?? "")
        return path.utf8.elementsEqual(("node_modules/" + name).utf8)
    }

    /// A workspace folder: the project's own code, not a registry package. npm writes its `name`
    /// only when it differs from the folder's name.
    func workspaceFolder(path: String, _ value: JSONValue, line: Int) throws -> LockedPackage {
        let folderName = String(path.split(separator: "/").last ?? Substring(path))
        let name = try value["name"]?.stringValue.map { try EntryClassifier.validName($0, entry: path) }
            ?? ((try? EntryClassifier.validName(folderName, entry: path)) ?? path)
        return LockedPackage(key: path, name: name, version: value["version"]?.stringValue ?? "",
                             kind: .notVerifiable("workspace package (\(path))"), line: line)
    }

    /// Why npm takes the entries below `value` from its tarball: it bundles dependencies
    /// (arborist's `getBundler` reads the entry's `bundleDependencies`) or has its own shrinkwrap.
    static func ownTree(_ value: JSONValue) -> String? {
        if JSONValue.isTruthy(value["hasShrinkwrap"]) || JSONValue.isTruthy(value["_hasShrinkwrap"]) { return "it has its own npm-shrinkwrap.json (hasShrinkwrap)" }
        for key in ["bundleDependencies", "bundledDependencies"] {
            if value[key]?.boolValue == true || !(value[key]?.arrayValue?.isEmpty ?? true) { return "it bundles dependencies (\(key))" }
        }
        return nil
    }

    /// An http(s) URL with a host: anything else in `resolved` npm reads as a path or a spec.
    static func isAbsoluteURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasBytePrefix("https://") || lower.hasBytePrefix("http://")) && text.split(separator: "/").count >= 2
    }
}
