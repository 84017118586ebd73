import NpmModel
import SafeJSON
import Semver

/// Which dependency edges of a lockfile reach each entry named for another package than its
/// folder. npm installs such an entry's bytes under the folder's name for every edge that reaches
/// it and checks only the version against the edge's range (arborist's `dep-valid.js`), so
/// `node_modules/lodash` holding `evil@4.17.21` passes `lodash@^4` (found by review). The entry is
/// an npm alias only when every edge reaching it says `npm:<its name>@…`; Bun's keyed tree is read
/// by the same rule.
struct AliasEdges {
    /// One package (or the project) and the specs it declares.
    struct Dependent {
        let key: String
        /// How messages name it: `the root`, an entry's key.
        let label: String
        let specs: [(field: String, name: String, spec: String)]
        /// The registry package (name, version) whose lockfile entry this is; nil for the project
        /// and its workspaces, whose specs npm takes from their package.json files.
        var package: (name: String, version: String)? = nil
        /// The project's own package.json (root, workspace, linked folder read from disk): only
        /// its edges may ask for a git, file or URL source on the project's behalf.
        var isProject = true
    }

    /// Per entry key: the dependents whose edges reach it without naming its package.
    private(set) var plain: [String: [String]] = [:]
    /// Per entry key: how many edges reach it as an `npm:` alias of its package.
    private(set) var aliased: [String: Int] = [:]
    /// Per entry key: the alias edges only a registry package's lockfile entry declares.
    private(set) var claims: [String: [LockedPackage.AliasClaim]] = [:]
    /// Per entry key: the edges reaching it that ask for a registry version, range, tag or alias.
    private(set) var registryAsks: [String: [String]] = [:]
    /// Per entry key: how many of the project's own edges (package.json's, a workspace's) reach it
    /// asking for git, a file, a URL or anything else. A registry package's lockfile entry does not
    /// count: any package on the registry may declare such a spec (found by review).
    private(set) var otherAsks: [String: Int] = [:]
    /// The entry keys some edge reaches, whatever it asks for.
    private(set) var reached: Set<String> = []
    /// Edges (dependencies and optional ones) whose semver range the entry they reach does not
    /// meet, where a `versionOf` was given: the package manager follows the lockfile anyway.
    private(set) var outOfRange: [(name: String, version: String, message: String)] = []

    /// `realName`: the package an entry key holds (nil for no entry); `resolve`: the entry key an
    /// edge named `name` from the dependent `key` reaches.
    init(_ dependents: [Dependent], realName: (String) -> String?, versionOf: ((String) -> String?)? = nil,
         resolve: (_ name: String, _ from: String) -> String?) throws {
        try Self.refuseCostly(dependents)
        for dependent in dependents {
            for (field, name, spec) in dependent.specs {
                guard let target = resolve(name, dependent.key) else { continue }
                reached.insert(target)
                if field != "peerDependencies", field != "devDependencies" || dependent.isProject, let versionOf,
                   let version = versionOf(target), realName(target).map({ $0.utf8.elementsEqual(name.utf8) }) ?? false,
                   !LockedRange.meets(version, spec) {
                    outOfRange.append((name, version, "\(dependent.label) asks for \(name)@\(spec) (\(field)), and the lockfile gives it \(target) at \(version)"))
                }
                if Self.isRegistrySpec(spec, name: name) {
                    registryAsks[target, default: []].append("\(dependent.label) asks for \(name)@\(spec) (\(field))")
                } else if dependent.isProject {
                    otherAsks[target, default: 0] += 1
                }
                guard let real = realName(target), !real.utf8.elementsEqual(name.utf8) else { continue }
                if Self.isAlias(spec, of: real) {
                    aliased[target, default: 0] += 1
                    if let package = dependent.package {
                        claims[target, default: []].append(.init(dependentName: package.name, dependentVersion: package.version, dependency: name))
                    }
                } else {
                    plain[target, default: []].append("\(dependent.label) asks for it as \(name)@\(spec) (\(field))")
                }
            }
        }
    }

    /// Why the entry `key`, holding `name` under another name, is no npm alias; nil when it is one.
    func refusal(key: String, name: String) -> String? {
        guard let plain = plain[key], !plain.isEmpty else { return nil }
        return "\(key) holds \(name), but \(plain.sorted().joined(separator: "; ")), not as an npm:\(name) alias: the package manager checks only the version, so it would install \(name)'s code under another name"
    }

    /// Why the entry `key`, which installs from a source no registry vouches for (`reason`), is a
    /// disguise; nil when an edge asks for such a source or none reaches it. npm checks only the
    /// version against a registry range (arborist's `dep-valid.js`), so `npm ci` would clone or copy
    /// that source, unverified, where every dependent asked for a registry package (found by review).
    func sourceRefusal(key: String, reason: String) -> String? {
        guard let asks = registryAsks[key], !asks.isEmpty, (otherAsks[key] ?? 0) == 0 else { return nil }
        return "\(key) is not a registry package (\(reason)), but \(asks.sorted().joined(separator: "; ")): the package manager checks only the version, so it would install that code unverified"
    }

    /// Whether no edge reaches `key` as an alias (then nothing says why it bears another name).
    func isUndeclared(key: String) -> Bool { (aliased[key] ?? 0) == 0 }

    /// The specs `value` declares in `fields` (a non-string spec reads as its JSON description).
    static func specs(of value: JSONValue?, fields: [String]) -> [(field: String, name: String, spec: String)] {
        fields.flatMap { field in
            (value?[field]?.objectValue ?? [:]).map { (field, $0.key, $0.value.stringValue ?? $0.value.briefDescription) }
        }
    }

    /// A registry version, range or tag (npm-package-arg's registry types), or an `npm:` alias.
    static func isRegistrySpec(_ spec: String, name: String) -> Bool {
        if spec.trimmingWhitespace().lowercased().hasBytePrefix("npm:") { return true }
        guard let name = try? PackageName(name) else { return false }
        return (try? PackageSpec(name: name, rawSpec: spec)) != nil
    }

    /// One edge per name, as arborist's `loadDeps` makes them: peer, then dependencies, optional
    /// and (for the project) dev, each replacing an earlier edge of the same name (found by a
    /// re-attack: a `file:` peer spec beside a registry range excused a disguise npm never followed).
    static func npmEdges(of value: JSONValue?, withDev: Bool) -> [(field: String, name: String, spec: String)] {
        let order = ["peerDependencies", "dependencies", "optionalDependencies"] + (withDev ? ["devDependencies"] : [])
        var last: [String: (field: String, name: String, spec: String)] = [:]
        for edge in specs(of: value, fields: order) { last[edge.name] = edge }
        return last.values.sorted { $0.name < $1.name }
    }

    /// `npm:<name>` or `npm:<name>@<range>`.
    static func isAlias(_ spec: String, of name: String) -> Bool {
        let text = spec.trimmingWhitespace()
        guard text.utf8.count > 4, text.lowercased().hasBytePrefix("npm:") else { return false }
        let target = String(text.dropFirst(4))
        let aliasedName = EntryClassifier.splitDescriptor(target)?.name ?? target
        return aliasedName.utf8.elementsEqual(name.utf8)
    }
}

extension AliasEdges {
    /// Most bytes that resolving every edge may compare: each edge walks up its dependent's key,
    /// building a candidate of up to the key's length at each level.
    static let maxResolveWork = 200_000_000

    /// Refuses dependents whose edges would take too long to resolve (found by review: one bun.lock
    /// key of 1,000 long segments with 50 dependencies took 2 minutes of CPU; a few hundred KB
    /// would hold a CI job for hours). Real lockfiles use a thousandth of the budget.
    static func refuseCostly(_ dependents: [Dependent]) throws {
        var work = 0
        for dependent in dependents where !dependent.specs.isEmpty {
            let bytes = dependent.key.utf8.count
            let levels = dependent.key.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
            work += dependent.specs.count * (bytes + 64) * levels
            guard work <= maxResolveWork else {
                throw LockfileError("resolving the lockfile's dependency edges would compare more than \(maxResolveWork) bytes (its keys nest too deep or are too long, \(dependent.key.prefix(120))… among them): refusing a pathological lockfile")
            }
        }
    }

    /// A v2/v3 `package-lock.json`'s `packages` (the root `""`, workspace folders, entries). npm
    /// builds the root's and each workspace's edges from their package.json files, not from the
    /// lockfile: `project` and `manifest(folder)` stand in for those entries when they were read
    /// (found by review: a `file:` spec in the lockfile's root hid a disguised entry). Edges resolve
    /// as Node does: the nearest `node_modules/<name>` up from the dependent.
    init(npm packages: [String: JSONValue], workspaceFolders: Set<String>, project: JSONValue?,
         manifest: (String) -> JSONValue? = { _ in nil }) throws {
        // With package.json read, a folder key is a workspace only where its globs declare one and
        // its own package.json is there: a made-up folder key's specs excused a disguised entry
        // (found by a re-attack). Without package.json, the lockfile is all there is.
        // arborist reads the package.json of every link target from disk, workspace or not (found by
        // a re-attack: a `file:` folder's range reached a disguised entry nothing seemed to ask for).
        // Where it cannot be read here, the lockfile's entry speaks, as a registry package's would.
        let declared = project.map(WorkspaceGlobs.init)
        let linked = Set(packages.values.compactMap { JSONValue.isTruthy($0["link"]) ? $0["resolved"]?.stringValue.map(EntryClassifier.normalizedFolder) : nil })
        let dependents = Set(packages.keys).union(project == nil ? [] : [""]).sorted().map { key -> (String, JSONValue?, Bool) in
            guard !key.isEmpty else { return (key, project ?? packages[key], true) }
            guard workspaceFolders.contains(key) else { return (key, packages[key], false) }
            guard let declared else { return (key, packages[key], true) }
            let folder = EntryClassifier.normalizedFolder(key), isLinked = linked.contains(folder)
            if let read = declared.contains(folder) || isLinked ? manifest(folder) : nil { return (key, read, true) }
            return (key, isLinked ? packages[key] : nil, false)
        }.map { key, value, own in
            var dependent = Dependent(key: key, label: key.isEmpty ? "the root" : key,
                                      specs: Self.npmEdges(of: value, withDev: own))
            dependent.isProject = own
            if !own, let name = value?["name"]?.stringValue ?? Lockfile.packageName(atPath: key) ?? key.split(separator: "/").last.map(String.init),
               let version = value?["version"]?.stringValue {
                dependent.package = (name, version)
            }
            return dependent
        }
        try self.init(dependents, realName: { packages[$0]?["name"]?.stringValue }) { name, from in
            var base = from
            while true {
                let candidate = (base.isEmpty ? "" : base + "/") + "node_modules/" + name
                if packages[candidate] != nil { return candidate }
                if base.isEmpty { return nil }
                // A top-level entry or a workspace folder: the root's node_modules comes next.
                base = base.lastByteRange(of: "/node_modules/").map { String(base[..<$0.lowerBound]) } ?? ""
            }
        }
    }
}
