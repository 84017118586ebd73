import NpmModel

/// A dependency to resolve: who asked, for what, and how it was declared.
struct DependencyRequest {
    let name: String
    let spec: String
    let kind: EdgeKind

    /// A registry package's own dependencies (devDependencies ignored; optional ones override).
    static func all(of manifest: Manifest) -> [DependencyRequest] {
        var byName: [String: DependencyRequest] = [:]
        for (name, spec) in manifest.peerDependencies where !manifest.optionalPeers.contains(name) {
            byName[name] = DependencyRequest(name: name, spec: spec, kind: .peer)
        }
        for (name, spec) in manifest.dependencies { byName[name] = DependencyRequest(name: name, spec: spec, kind: .prod) }
        for (name, spec) in manifest.optionalDependencies { byName[name] = DependencyRequest(name: name, spec: spec, kind: .optional) }
        return byName.values.sorted { $0.name < $1.name }
    }
}

/// Placed nodes waiting for their dependencies to be resolved, taken shallowest first, then by
/// install path in arborist's order (its `DepsQueue`).
struct DependencyQueue {
    private var waiting: [(node: TreeNode, requests: [DependencyRequest])] = []

    mutating func push(_ node: TreeNode, _ requests: [DependencyRequest]) {
        let index = waiting.partitioningIndex { Self.precedes(node, $0.node) }
        waiting.insert((node, requests), at: index)
    }

    mutating func popFirst() -> (TreeNode, [DependencyRequest])? {
        waiting.isEmpty ? nil : waiting.removeFirst()
    }

    /// Names every waiting node asks for.
    var waitingNames: [String] { waiting.flatMap { $0.requests.map(\.name) } }

    private static func precedes(_ a: TreeNode, _ b: TreeNode) -> Bool {
        a.depth != b.depth ? a.depth < b.depth : LocaleOrder.precedes(a.location, b.location)
    }
}

extension Array {
    /// The first index whose element satisfies `belongsAfter`, for an array already partitioned by it.
    fileprivate func partitioningIndex(where belongsAfter: (Element) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if belongsAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
