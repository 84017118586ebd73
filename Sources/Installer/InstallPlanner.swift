import FoundationEssentials
import NpmModel

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
    /// The project's previous lockfile, by install path: a source-repository change is checked against it.
    private let locked: [String: (name: String, version: String)]

    init(run: InstallRun, pipeline: PackagePipeline?, locked: [String: (name: String, version: String)] = [:]) {
        self.run = run
        self.pipeline = pipeline
        self.locked = locked
    }

    func place(_ node: TreeNode) throws {
        var package = try PlannedPackage(node, index: planned.count)
        if let previous = locked[node.location], previous.name == package.target.name {
            package.evidence?.previouslyLocked = previous.version
        }
        planned.append(package)
        pipeline?.start(package)
    }

    /// Sets npm's `dev`, `optional` and `peer` flags once the whole tree is known.
    func flag(from root: TreeNode) {
        let flags = DependencyFlags(root: root)
        for i in planned.indices { flags.apply(to: &planned[i]) }
    }

    /// The versions the project's existing lockfile (npm-shrinkwrap.json, else package-lock.json) has, by install path (empty when unreadable).
    static func previouslyLocked(prefix: URL) -> [String: (name: String, version: String)] {
        let file = ProjectFile.lockfile(in: prefix)
        guard let data = try? ProjectFile.read(file, limit: ProjectFile.maxLockfileBytes),
              let lock = try? Lockfile(data: data, file: file.path) else { return [:] }
        return lock.packages.reduce(into: [:]) { result, item in
            if let name = item.value.name ?? Lockfile.packageName(atPath: item.key), let version = item.value.version {
                result[item.key] = (name, version)
            }
        }
    }
}
