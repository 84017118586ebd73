import NpmModel
import Semver

/// What `ci` leaves out because a package cannot run on this platform, as npm's reify does:
/// an optional entry whose `os`, `cpu` or `libc` excludes this machine is dropped together with
/// its optional set (arborist `optional-set.js`): the dependents that need it without an optional
/// edge, and every dependency nothing outside the set needs (`gather-dep-set.js`). A required
/// entry that cannot run here fails the run (`EBADPLATFORM`). An optional entry whose `engines`
/// refuse this node or npm is left out the same way (arborist's reify checks engines on optional
/// nodes; found by review: npm ci left out a package we placed).
struct OptionalSet {
    /// Resolved edges: dependent path to dependency path, and whether the edge is optional.
    private var edgesIn: [String: [(from: String, optional: Bool)]] = [:]
    private var edgesOut: [String: [String]] = [:]

    init(_ edges: [LockfileStructure.Edge], structure: LockfileStructure) {
        for edge in edges {
            guard let target = structure.resolve(edge.name, from: edge.from) else { continue }
            edgesIn[target, default: []].append((edge.from, edge.optional))
            edgesOut[edge.from, default: []].append(target)
        }
    }

    /// The install paths to leave out, each with the reason the report gives.
    func skipped(_ planned: [PlannedPackage], file: String, engines: EngineVersions) throws -> [String: String] {
        var skipped: [String: String] = [:]
        for package in planned {
            let engineRefusal = package.optional && !engines.allows(package.lockEntry.engines)
                ? "engines (\(package.lockEntry.engines.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))) refuse this node or npm" : nil
            guard skipped[package.location] == nil, let reason = PlatformCheck.mismatch(package.lockEntry) ?? engineRefusal else { continue }
            guard package.optional else {
                throw InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) in \(file) is not optional, and its \(reason)")
            }
            guard let set = self.set(of: package.location) else {
                throw InstallError(.usage, "EBADPLATFORM: \(package.target.subject) at \(package.location) in \(file) is marked optional, but the project needs it without an optional edge, and its \(reason)")
            }
            for path in set where skipped[path] == nil {
                skipped[path] = path == package.location ? "optional, and its \(reason)"
                    : "needed only by \(package.location), which is skipped (its \(reason))"
            }
        }
        return skipped
    }

    /// `optionalSet(node)`: up through required edges to the boundary, then the dependencies
    /// that nothing outside the set depends on. nil when a required path leads up to the project
    /// itself: then the package is not optional at all, whatever the lockfile says.
    func set(of path: String) -> Set<String>? {
        var boundary: Set<String> = [path]
        var queue = [path]
        while let node = queue.popLast() {
            for edge in edgesIn[node] ?? [] where !edge.optional {
                if edge.from.isEmpty { return nil }
                if boundary.insert(edge.from).inserted { queue.append(edge.from) }
            }
        }
        return gatherDependencies(of: boundary)
    }

    /// `gatherDepSet(set, edge => !set.has(edge.to))`.
    private func gatherDependencies(of boundary: Set<String>) -> Set<String> {
        var deps = boundary
        var queue = Array(boundary)
        while let node = queue.popLast() {
            for target in edgesOut[node] ?? [] where !boundary.contains(target) && deps.insert(target).inserted {
                queue.append(target)
            }
        }
        // Then drop every dependency something outside the set depends on, until none is left:
        // what a dropped one depends on now has a dependent outside too. A worklist reaches the
        // fixed point arborist's repeated passes reach, in O(edges) (found by review: the passes
        // peeled a chain one link at a time, 16,000 links took 12 s).
        var outside = Array(deps.filter { dep in !boundary.contains(dep) && (edgesIn[dep] ?? []).contains { !deps.contains($0.from) } })
        while let dep = outside.popLast() {
            guard deps.remove(dep) != nil else { continue }
            outside += (edgesOut[dep] ?? []).filter { deps.contains($0) && !boundary.contains($0) }
        }
        return deps
    }
}
