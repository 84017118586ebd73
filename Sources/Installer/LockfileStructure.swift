import FoundationEssentials
import SafeJSON
import NpmModel
import Semver

/// `ci`'s structural rules over a lockfile's tree, checked before anything is fetched:
/// every dependency that package.json, a lockfile entry or a locked package's own registry
/// manifest declares resolves (node's lookup: the nearest `node_modules/<name>` up the path)
/// to a locked version that satisfies the declared range, and every locked entry is reachable
/// from the project (nothing extraneous).
struct LockfileStructure {
    /// A declared edge: who declares it, the name and range, and whether it may be missing.
    struct Edge {
        let from: String
        let name: String
        let spec: String
        var optional: Bool
        let declaredBy: String
        /// The project's devDependencies, and peerDependencies: what `--omit` can leave unmet.
        var dev = false
        var peer = false
    }

    let file: String
    /// Locked versions by install path (`""` is the project).
    let versions: [String: String]

    /// Throws a usage error naming the file, the dependent, the dependency, its range and the locked version.
    /// Paths in `unreachedAllowed` (what a bundle carries) may be unreached.
    func check(_ edges: [Edge], unreachedAllowed: Set<String> = []) throws {
        var reached: Set<String> = [""]
        var problems: [String] = []
        var queue = [""]
        let byFrom = Dictionary(grouping: edges, by: \.from)
        while let path = queue.popLast() {
            for edge in byFrom[path] ?? [] {
                if let problem = Self.unsupported(edge) {
                    problems.append("\(describe(path)) depends on \(edge.name)@\(edge.spec) (\(edge.declaredBy)), \(problem)")
                    continue
                }
                guard let target = resolve(edge.name, from: path) else {
                    if !edge.optional { problems.append("\(describe(path)) depends on \(edge.name)@\(edge.spec) (\(edge.declaredBy)), which is not locked") }
                    continue
                }
                let version = versions[target] ?? ""
                if let range = Self.checkableRange(edge.spec, name: edge.name), !Semver.satisfies(version, range, loose: true) {
                    problems.append("\(describe(path)) depends on \(edge.name)@\(edge.spec) (\(edge.declaredBy)), but \(target) is locked at \(version)")
                }
                if reached.insert(target).inserted { queue.append(target) }
            }
        }
        for path in versions.keys.sorted() where !reached.contains(path) && !unreachedAllowed.contains(path) {
            problems.append("\(path) (\(versions[path] ?? "?")) is extraneous: nothing in the project depends on it")
        }
        guard problems.isEmpty else {
            throw InstallError(.verification, "\(file) does not describe a valid tree: " + problems.joined(separator: "; "))
        }
    }

    /// Node's module lookup from `path`: `path/node_modules/name`, then each ancestor's.
    func resolve(_ name: String, from path: String) -> String? {
        var ancestors = Lockfile.installPathNames(path) ?? []
        while true {
            let candidate = Lockfile.installPath(ancestors + [name])
            if versions[candidate] != nil { return candidate }
            guard !ancestors.isEmpty else { return nil }
            ancestors.removeLast()
        }
    }

    private func describe(_ path: String) -> String { path.isEmpty ? "package.json" : path }

    /// Why `ci` cannot honour `edge` with a registry package of that name, or nil: a git, file or
    /// URL spec (a registry package standing in for it would be dependency confusion), or an
    /// alias to another package (`ci` installs packages under their own names only).
    static func unsupported(_ edge: Edge) -> String? {
        let spec = edge.spec.trimmingWhitespace()
        if spec.hasBytePrefix("npm:") {
            let aliased = spec.dropFirst(4)
            let at = aliased.dropFirst().firstIndex(of: "@") ?? aliased.endIndex
            let name = String(aliased[..<at])
            return name == edge.name ? nil : "an alias of \(name), which verify-install ci does not install"
        }
        return Semver.isRegistrySpec(spec) ? nil : "which is not a registry spec: ci installs only registry packages, and will not let one stand in for it"
    }

    /// The semver range a spec pins, or nil when it is not a range (a dist-tag, a URL, a git spec).
    /// `npm:<name>@<range>` aliases check their range.
    static func checkableRange(_ spec: String, name: String) -> String? {
        var range = spec.trimmingWhitespace()
        if range.hasBytePrefix("npm:") {
            let aliased = range.dropFirst(4)
            guard let at = aliased.dropFirst().firstIndex(of: "@") else { return "*" }
            range = String(aliased[aliased.index(after: at)...])
        }
        if range.isEmpty || range == "latest" { return nil }
        return Semver.validRange(range, loose: true) == nil ? nil : range
    }
}
