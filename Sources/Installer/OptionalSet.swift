import NpmModel
import Semver

/// What `ci` leaves out because a package cannot run on this platform, as npm's reify does:
/// an optional entry whose `os`, `cpu` or `libc` excludes this machine is dropped together with
/// its optional set (arborist `optional-set.js`, npm 10): the dependents that need it without an
/// optional edge, and every dependency they reach through required edges that nothing outside the
/// set needs through a required edge (`gather-dep-set.js`). A required
/// entry that cannot run here fails the run (`EBADPLATFORM`). An optional entry whose `engines`
/// refuse this node or npm is left out the same way (arborist's reify checks engines on optional
/// nodes; found by review: npm ci left out a package we placed).
struct OptionalSet {
    /// Resolved edges: dependent path to dependency path, and whether the edge is optional.
    private var edgesIn: [String: [(from: String, optional: Bool)]] = [:]
    private var edgesOut: [String: [(to: String, optional: Bool)]] = [:]
    /// What the project (`""`) reaches through required edges: never in an optional set, so no
    /// set walks into it (found by review: each skipped package walked a required chain they all
    /// shared, K packages times D links).
    private var required: Set<String> = []
    /// Steps the sets of one run may take in all: a lockfile whose skipped packages share a large
    /// optional-only graph is refused rather than walked once per package for minutes.
    static let maxSteps = 20_000_000

    init(_ edges: [LockfileStructure.Edge], structure: LockfileStructure) {
        self.init(resolved: edges.compactMap { edge in
            structure.resolve(edge.name, from: edge.from).map { (edge.from, $0, edge.optional) }
        })
    }

    /// From edges already resolved to install paths (`""` is the project).
    init(resolved edges: [(from: String, to: String, optional: Bool)]) {
        for edge in edges {
            edgesIn[edge.to, default: []].append((edge.from, edge.optional))
            edgesOut[edge.from, default: []].append((edge.to, edge.optional))
        }
        var queue = [""]
        while let node = queue.popLast() {
            for edge in edgesOut[node] ?? [] where !edge.optional && required.insert(edge.to).inserted { queue.append(edge.to) }
        }
    }

    /// The install paths to leave out, each with the reason the report gives. Required packages
    /// are checked against this machine, optional ones against `platform` (npm's `--os`, `--cpu`
    /// and `--libc`); the ones `--omit` leaves out (`omitted`) are not checked, as npm's reify
    /// never reaches them.
    func skipped(_ planned: [PlannedPackage], file: String, engines: EngineVersions, platform: Platform = .host,
                 omitted: Set<String> = []) throws -> [String: String] {
        // Every required entry first, as arborist's build-ideal-tree checks them before reify
        // skips anything: one a skipped package needs is still an error (found by review: it was
        // skipped with that package, or refused, depending on the order of the paths).
        for package in planned where !package.optional {
            if let reason = PlatformCheck.mismatch(package.lockEntry) {
                throw InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) in \(file) is not optional, and its \(reason)")
            }
        }
        var skipped: [String: String] = [:]
        var steps = 0
        for package in planned where package.optional && !omitted.contains(package.location) {
            let engineRefusal = engines.allows(package.lockEntry.engines, nonString: package.lockEntry.nonStringEngines) ? nil
                : "engines (\(package.lockEntry.engines.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))) refuse this node or npm"
            guard skipped[package.location] == nil,
                  let reason = PlatformCheck.mismatch(package.lockEntry, on: platform) ?? engineRefusal else { continue }
            guard let set = self.set(of: package.location, steps: &steps) else {
                throw InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) in \(file) is marked optional, but the project needs it without an optional edge, and its \(reason)")
            }
            guard steps <= Self.maxSteps else {
                throw InstallError(.usage, "\(file): the packages left out for this platform share more of the tree than can be weighed (over \(Self.maxSteps) steps); refusing a pathological lockfile")
            }
            for path in set where skipped[path] == nil {
                skipped[path] = path == package.location ? "optional, and its \(reason)"
                    : "needed only by \(package.location), which is skipped (its \(reason))"
            }
        }
        return skipped
    }

    /// `optionalSet(node)` of npm 10's arborist: up through required edges to the boundary, then
    /// `gatherDepSet(set, edge => !edge.optional)`: the dependencies reached through required
    /// edges that nothing outside the set needs through a required edge. nil when a required
    /// path leads up to the project itself: then the package is not optional at all, whatever
    /// the lockfile says. `steps` counts the edges looked at.
    func set(of path: String, steps: inout Int) -> Set<String>? {
        var boundary: Set<String> = [path]
        var queue = [path]
        while let node = queue.popLast() {
            for edge in edgesIn[node] ?? [] where !edge.optional {
                steps += 1
                if edge.from.isEmpty { return nil }
                if boundary.insert(edge.from).inserted { queue.append(edge.from) }
            }
        }
        return gatherDependencies(of: boundary, steps: &steps)
    }

    private func gatherDependencies(of boundary: Set<String>, steps: inout Int) -> Set<String> {
        var deps = boundary
        var queue = Array(boundary)
        while let node = queue.popLast() {
            for edge in edgesOut[node] ?? [] where !edge.optional && !required.contains(edge.to) {
                steps += 1
                if deps.insert(edge.to).inserted { queue.append(edge.to) }
            }
        }
        // Then drop every dependency something outside the set needs through a required edge,
        // until none is left: what a dropped one needs now has a dependent outside too. A
        // worklist reaches the fixed point arborist's repeated passes reach, in O(edges) (found by
        // review: the passes peeled a chain one link at a time, 16,000 links took 12 s). Boundary
        // nodes are never dropped: every required edge into them comes from the boundary.
        var outside: [String] = []
        for dep in deps where !boundary.contains(dep) {
            let incoming = edgesIn[dep] ?? []
            steps += incoming.count
            if incoming.contains(where: { !$0.optional && !deps.contains($0.from) }) { outside.append(dep) }
        }
        while let dep = outside.popLast() {
            guard deps.remove(dep) != nil else { continue }
            for edge in edgesOut[dep] ?? [] where !edge.optional && deps.contains(edge.to) && !boundary.contains(edge.to) {
                steps += 1
                outside.append(edge.to)
            }
        }
        return deps
    }
}
