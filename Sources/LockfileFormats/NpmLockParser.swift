import FoundationEssentials
import NpmModel
import SafeJSON

/// `package-lock.json` / `npm-shrinkwrap.json`: v2 and v3 from `packages` (keyed by install path),
/// v1 from the nested `dependencies` tree.
struct NpmLockParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: its specs are the root's edges.
    var project: JSONValue? = nil

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
        return ParsedLockfile(format: .npm, formatVersion: "\(version)", packages: try checkV1Aliases(out, dependencies))
    }

    /// v1 aliases (`version: npm:real@1.0.0`) by the rule of v2/v3 ones: every edge reaching one
    /// (package.json's, and the `requires` of the entries, resolved through the nesting) must say
    /// `npm:<real>`; a plain one refuses the lockfile, none leaves it not verifiable.
    func checkV1Aliases(_ entries: [LockedPackage], _ dependencies: [String: JSONValue]) throws -> [LockedPackage] {
        guard entries.contains(where: { $0.installedAs != nil }) else { return entries }
        // A v1 lockfile keeps no root specs: without the package.json beside it (npm ci refuses to
        // run then), each top-level alias is taken as the root's.
        let assumedRoot = project == nil ? entries.filter { $0.installedAs != nil && !$0.key.dropFirst("node_modules/".count).contains("/node_modules/") }
            .reduce(into: [String: JSONValue]()) { $0[$1.installedAs ?? ""] = .string("npm:\($1.id)") } : [:]
        var tree: [String: JSONValue] = ["": .object(["dependencies": .object(assumedRoot)])]
        for entry in entries {
            let raw = Self.v1Entry(at: entry.key, in: dependencies)
            tree[entry.key] = .object(["name": .string(entry.name), "version": .string(entry.version),
                                       "dependencies": raw?["requires"] ?? .object([:])])
        }
        let edges = AliasEdges(npm: tree, workspaceFolders: [], project: project)
        return try entries.map { entry in
            guard entry.installedAs != nil, case .registry = entry.kind else { return entry }
            var entry = entry
            if let refusal = edges.refusal(key: entry.key, name: entry.name) { throw LockfileError("package-lock.json: " + refusal) }
            if edges.isUndeclared(key: entry.key) {
                entry.kind = .notVerifiable("installed as \(entry.installedAs ?? "?") from \(entry.id), and no dependency declares it as an npm:\(entry.name) alias")
            }
            entry.aliasClaims = edges.claims[entry.key] ?? []
            return entry
        }
    }

    /// The v1 entry at install path `path` (`node_modules/a/node_modules/b`), walking the nesting.
    static func v1Entry(at path: String, in dependencies: [String: JSONValue]) -> JSONValue? {
        guard let names = Lockfile.installPathNames(path) else { return nil }
        var level: [String: JSONValue]? = dependencies
        var entry: JSONValue?
        for name in names {
            entry = level?[name]
            level = entry?["dependencies"]?.objectValue
        }
        return entry
    }

    /// v2/v3: one entry per install path; the root (`""`) is the project itself.
    func fromPackages(_ packages: [String: JSONValue], _ locator: LineLocator) throws -> [LockedPackage] {
        guard packages.count <= limits.maxEntries else { throw LockfileError("package-lock.json has \(packages.count) entries, more than \(limits.maxEntries)") }
        // Keys outside node_modules are workspace folders (`packages/a`); their own conflicting
        // dependencies sit below them (`packages/a/node_modules/x`).
        // A folder key has no `node_modules` segment at all, so no key can be read two ways.
        let folders = Set(packages.keys.filter { key in
            !key.isEmpty && !key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains { $0.elementsEqual("node_modules".utf8) }
        })
        let edges = AliasEdges(npm: packages, workspaceFolders: folders, project: project)
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

    func entry(path: String, _ value: JSONValue, line: Int, workspaceFolders: Set<String> = [], edges: AliasEdges? = nil) throws -> LockedPackage {
        if workspaceFolders.contains(path) { return try workspaceFolder(path: path, value, line: line) }
        // The install path below the project or below the workspace folder that holds it.
        let folder = workspaceFolders.filter { path.utf8.starts(with: "\($0)/node_modules/".utf8) }.max { $0.utf8.count < $1.utf8.count }
        let installPath = folder.map { String(decoding: path.utf8.dropFirst($0.utf8.count + 1), as: UTF8.self) } ?? path
        let pathName = Lockfile.packageName(atPath: installPath)
        if !Lockfile.isValidInstallPath(installPath) {
            throw LockfileError("package-lock.json: \(path) is not a node_modules path of valid package names (below the project or a workspace folder)")
        }
        let name = try EntryClassifier.validName(value["name"]?.stringValue ?? pathName ?? path, entry: path)
        var package = LockedPackage(key: path, name: pathName ?? name, version: value["version"]?.stringValue ?? "",
                                    resolved: value["resolved"]?.stringValue, integrity: value["integrity"]?.stringValue, line: line)
        package.ownTree = Self.ownTree(value)
        package.declared = .init(["dependencies", "optionalDependencies", "peerDependencies"].map { value[$0]?.stringMap ?? [:] }, includesPeers: true)
        // arborist tests these flags for JavaScript truthiness (`if (meta.link)`), not for `true`.
        if JSONValue.isTruthy(value["link"]) {
            package.kind = .notVerifiable("linked local folder (\(package.resolved ?? path))")
        } else if JSONValue.isTruthy(value["inBundle"]) {
            package.kind = .notVerifiable("bundled in its parent's tarball (inBundle): npm installs these bytes from that tarball")
        } else if let reason = package.resolved.flatMap(EntryClassifier.nonRegistryReason) {
            package.kind = .notVerifiable(reason)
        } else if let resolved = package.resolved, !Self.isAbsoluteURL(resolved) {
            package.kind = .notVerifiable("resolved is not a registry URL; npm reads it as a local path (\(resolved))")
        } else if package.version.isEmpty {
            package.kind = .notVerifiable("no version recorded")
        } else if let pathName, name != pathName {
            guard package.resolved != nil else {
                // npm fetches such an entry again from whatever spec reaches it (a tag, a range of
                // the folder's own name), not as the package the entry names (found by a re-attack).
                package.kind = .notVerifiable("named \(name) but installed as \(pathName) with no resolved URL: npm fetches it again from the spec that reaches it")
                return package
            }
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
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && text.split(separator: "/").count >= 2
    }

    /// v1: `dependencies` nest; `version` holds `npm:real@1.0.0` for aliases, a URL for git and files.
    func fromDependencies(_ deps: [String: JSONValue], parent: String, depth: Int, _ locator: LineLocator,
                          into out: inout [LockedPackage]) throws {
        guard depth < limits.maxDepth else { throw LockfileError("package-lock.json dependencies nest deeper than \(limits.maxDepth)") }
        for name in deps.keys.sorted() {
            let value = deps[name] ?? .null
            let path = parent + "node_modules/" + name
            try Self.requireStrings(value, at: path)
            out += try DeclaredSpecs.items(in: value, who: path, fields: ["requires"], line: locator.line(of: name))
            let valid = try EntryClassifier.validName(name, entry: path)
            let version = value["version"]?.stringValue ?? ""
            var package = LockedPackage(key: path, name: valid, version: version, resolved: value["resolved"]?.stringValue,
                                        integrity: value["integrity"]?.stringValue,
                                        line: locator.line(of: name, containing: "\"version\": \"\(version)\""))
            // v1 `requires` holds dependencies and optional ones, never peers.
            package.declared = .init([value["requires"]?.stringMap ?? [:]], includesPeers: false)
            if version.hasPrefix("npm:") {
                let target = String(version.dropFirst(4))
                guard let (real, realVersion) = EntryClassifier.splitDescriptor(target), !realVersion.isEmpty else {
                    throw LockfileError("package-lock.json: \(path) is the alias \(version), which names no version")
                }
                package.alias(installedAs: valid, real: try EntryClassifier.validName(real, entry: path), version: realVersion)
            }
            // An alias keeps its `resolved` and `bundled` in npm too: the same checks apply.
            if let reason = (version.hasPrefix("npm:") ? nil : EntryClassifier.nonRegistryReason(version))
                ?? package.resolved.flatMap(EntryClassifier.nonRegistryReason) {
                package.kind = .notVerifiable(reason)
            } else if JSONValue.isTruthy(value["bundled"]) {
                package.kind = .notVerifiable("bundled in its parent's tarball (bundled): npm installs these bytes from that tarball")
            } else if let resolved = package.resolved, !Self.isAbsoluteURL(resolved) {
                package.kind = .notVerifiable("resolved is not a registry URL; npm reads it as a local path (\(resolved))")
            }
            out.append(package)
            guard out.count <= limits.maxEntries else { throw LockfileError("package-lock.json has more than \(limits.maxEntries) entries") }
            if let nested = value["dependencies"]?.objectValue {
                try fromDependencies(nested, parent: path + "/", depth: depth + 1, locator, into: &out)
            }
        }
    }
}
