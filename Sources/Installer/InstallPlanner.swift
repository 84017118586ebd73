import FoundationEssentials
import Integrity
import NpmModel
import Semver

/// Receives each package the resolver places, in placement order, as soon as it is placed.
protocol PlacementSink: AnyObject {
    func place(_ node: TreeNode) throws
}

/// Turns each placed node into a `PlannedPackage` and, in an install, starts its pipeline at once,
/// so tarballs download while the rest of the tree still resolves.
final class InstallPlanner: PlacementSink {
    private(set) var planned: [PlannedPackage] = []
    private let run: InstallRun
    private let pipeline: PackagePipeline?
    /// One entry of the project's previous lockfile.
    struct Locked {
        let name: String, version: String, integrity: String?
    }

    /// The project's previous lockfile, by install path: a source-repository change is checked
    /// against it, and the same version must still be the same bytes.
    private let locked: [String: Locked]

    init(run: InstallRun, pipeline: PackagePipeline?, locked: [String: Locked] = [:]) {
        self.run = run
        self.pipeline = pipeline
        self.locked = locked
    }

    func place(_ node: TreeNode) throws {
        var package = try PlannedPackage(node, index: planned.count)
        if let previous = locked[node.location], previous.name == package.target.name {
            package.evidence?.previouslyLocked = previous.version
            package.evidence?.previouslyLockedIntegrity = previous.integrity
            // npm installs a locked version with its locked integrity: the registry may not swap its
            // bytes, nor weaken their digest to SHA-1 (found by review), from one install to the next.
            if previous.version == package.target.version, let text = previous.integrity {
                do { package.claims.append(IntegrityClaim(try SubresourceIntegrity(text), "the project's lockfile")) } catch {
                    // Said, not dropped in silence (found by review); the lockfile this run writes replaces it.
                    run.warn("\(package.target.subject) at \(node.location): the project's lockfile records an integrity that does not parse (\(error)), so the bytes were not held to it; the lockfile this run writes records the registry's")
                }
            }
        }
        if package.manifest?.hasShrinkwrap == true {
            run.warn("\(package.target.subject) carries its own npm-shrinkwrap.json, which npm would install its dependencies from; verify-install resolves them from the registry instead, so this tree may differ from npm's")
        }
        planned.append(package)
        pipeline?.start(package)
    }

    /// Leaves off disk, as npm's reify does, every optional package that cannot run on `platform`
    /// (npm's `--os`/`--cpu`/`--libc`, else this machine) with its optional set: what only it needs
    /// (found by review: one optional only through its parent was installed). They stay in the
    /// lockfile, fetched and verified like the rest. One a required path reaches is placed, as npm
    /// places it (`PlatformCheck` has refused it already if it cannot run on this machine).
    func leaveOutOptionalSets(root: TreeNode, platform: Platform, engines: EngineVersions) {
        for index in planned.indices {
            // Only what ends up optional: a required edge that reached the same node keeps it
            // (found by review: `--cpu` left a required package off disk).
            guard planned[index].optional else {
                planned[index].leftOutBecause = nil
                continue
            }
            let entry = planned[index].lockEntry
            let engineRefusal = engines.allows(entry.engines, nonString: entry.nonStringEngines) ? nil : "optional, and its engines refuse this node or npm"
            planned[index].leftOutBecause = planned[index].leftOutBecause
                ?? PlatformCheck.mismatch(entry, on: platform).map { "optional, and its \($0)" } ?? engineRefusal
        }
        let leaders = planned.filter { $0.leftOutBecause != nil }
        guard !leaders.isEmpty else { return }
        var edges: [(from: String, to: String, optional: Bool)] = []
        var stack = [root]
        while let node = stack.popLast() {
            stack += node.children.values.filter { !$0.isBundled }
            for (_, edge) in node.edges { edges.append((node.location, edge.node.location, edge.kind == .optional)) }
        }
        let sets = OptionalSet(resolved: edges)
        let byLocation = Dictionary(uniqueKeysWithValues: planned.indices.map { (planned[$0].location, $0) })
        var steps = 0
        for leader in leaders {
            guard let set = sets.set(of: leader.location, steps: &steps) else {
                planned[byLocation[leader.location]!].leftOutBecause = nil  // a required path reaches it
                continue
            }
            for path in set {
                guard let index = byLocation[path], planned[index].leftOutBecause == nil else { continue }
                planned[index].leftOutBecause = "needed only by \(leader.location), which is left out (its \(leader.leftOutBecause!))"
            }
        }
        // Nothing is placed inside a folder that is not (found by review: a child of a left-out
        // package was placed under its missing folder).
        let folders = Set(planned.filter { $0.leftOutBecause != nil }.map { Array($0.location.utf8) })
        for index in planned.indices where planned[index].leftOutBecause == nil {
            if let folder = Lockfile.enclosingFolders(of: planned[index].location).first(where: { folders.contains(Array($0.utf8)) }) {
                planned[index].leftOutBecause = "inside \(folder), which is left out"
            }
        }
    }

    /// Sets npm's `dev`, `optional` and `peer` flags once the whole tree is known.
    func flag(from root: TreeNode) {
        let flags = DependencyFlags(root: root)
        for i in planned.indices { flags.apply(to: &planned[i]) }
    }

    /// The entries of the project's existing lockfile (npm-shrinkwrap.json, else package-lock.json),
    /// by install path; empty when it does not parse. One that is not a readable regular file is an
    /// error: the install would replace it (found by review: a folder of that name was deleted).
    static func previouslyLocked(prefix: URL) throws -> [String: Locked] {
        let file = ProjectFile.lockfile(in: prefix)
        guard let data = try ProjectFile.read(file, limit: ProjectFile.maxLockfileBytes),
              let lock = try? Lockfile(data: data, file: file.path) else { return [:] }
        return lock.packages.reduce(into: [:]) { result, item in
            if let name = item.value.name ?? Lockfile.packageName(atPath: item.key), let version = item.value.version {
                result[item.key] = Locked(name: name, version: version, integrity: item.value.integrity)
            }
        }
    }
}
