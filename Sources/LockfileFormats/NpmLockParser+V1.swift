import FoundationEssentials
import NpmModel
import SafeJSON

/// Version 1 package-locks: the nested `dependencies` tree, and its aliases.
extension NpmLockParser {
    /// v1 aliases (`version: npm:real@1.0.0`) and sources by the rules of v2/v3 ones: every edge
    /// reaching an alias (package.json's, and the `requires` of the entries, resolved through the
    /// nesting) must say `npm:<real>`, a plain one refuses the lockfile, none leaves it not
    /// verifiable; a git, file or URL entry that only registry specs reach refuses it.
    func checkV1Edges(_ entries: [LockedPackage], _ dependencies: [String: JSONValue]) throws -> [LockedPackage] {
        guard entries.contains(where: { $0.installedAs != nil || Self.fetchedSource($0) != nil }) else { return entries }
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
        let edges = try AliasEdges(npm: tree, workspaceFolders: [], project: project)
        return try entries.map { entry in
            if let source = Self.fetchedSource(entry), let refusal = edges.sourceRefusal(key: entry.key, reason: source) {
                throw LockfileError("package-lock.json: " + refusal)
            }
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

    /// Why a v1 entry installs from git, a file, a URL or a local path; nil for a registry package
    /// or an alias.
    static func fetchedSource(_ entry: LockedPackage) -> String? {
        guard case .notVerifiable = entry.kind, entry.installedAs == nil else { return nil }
        if let reason = NpmSource.nonRegistryReason(entry.version) ?? entry.resolved.flatMap(NpmSource.nonRegistryReason) { return reason }
        return entry.resolved.flatMap { isAbsoluteURL($0) ? nil : "local path (\($0))" }
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
            if version.hasBytePrefix("npm:") {
                let target = String(version.dropFirst(4))
                guard let (real, realVersion) = EntryClassifier.splitDescriptor(target), !realVersion.isEmpty else {
                    throw LockfileError("package-lock.json: \(path) is the alias \(version), which names no version")
                }
                package.alias(installedAs: valid, real: try EntryClassifier.validName(real, entry: path), version: realVersion)
            }
            // An alias keeps its `resolved` in npm too: the same checks apply. `bundled` is v3's
            // `inBundle`, no excuse by itself: npm fetches what the bundling tarball lacks from
            // `resolved` (found by review, witnessed with npm 10.8.2: a v1 `bundled` entry from another
            // host was installed and ran). Only an entry with no source, below a package the registry
            // says bundles, is set aside (`LockfileVerifier.markBundled`).
            if let reason = (version.hasBytePrefix("npm:") ? nil : NpmSource.nonRegistryReason(version))
                ?? package.resolved.flatMap(NpmSource.nonRegistryReason) {
                package.kind = .notVerifiable(reason)
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
