import SafeJSON
import NpmModel

/// How a dependency was declared, which decides the lockfile flags.
enum EdgeKind: Sendable, Hashable {
    case prod, dev, optional, peer
}

/// A package placed in the ideal `node_modules` tree (or the project root).
///
/// Only the resolver mutates nodes, from one task; they never cross concurrency domains.
final class TreeNode {
    let name: String
    let manifest: Manifest?
    unowned(unsafe) let parent: TreeNode?
    /// Packages in this node's own `node_modules`.
    var children: [String: TreeNode] = [:]
    /// What each declared dependency resolved to.
    var edges: [String: (node: TreeNode, kind: EdgeKind)] = [:]
    /// Install path: `""` for the root, else `node_modules/a/node_modules/b`.
    let location: String
    let depth: Int

    init(root name: String) {
        self.name = name
        manifest = nil
        parent = nil
        location = ""
        depth = 0
    }

    init(manifest: Manifest, parent: TreeNode) {
        name = manifest.name
        self.manifest = manifest
        self.parent = parent
        location = parent.location.isEmpty ? "node_modules/\(manifest.name)" : "\(parent.location)/node_modules/\(manifest.name)"
        depth = parent.depth + 1
    }

    var version: String { manifest?.version ?? "" }

    /// The node Node.js would load for `name` from here: own `node_modules`, then each ancestor's.
    func lookup(_ name: String) -> TreeNode? {
        var level: TreeNode? = self
        while let current = level {
            if let found = current.children[name] { return found }
            level = current.parent
        }
        return nil
    }

    /// Whether `other` sits inside this node's `node_modules` (at any depth).
    func contains(_ other: TreeNode) -> Bool {
        if location.isEmpty { return !other.location.isEmpty }
        return other.location.hasBytePrefix(location + "/node_modules/")
    }

    /// Whether this node is `other` or inside its subtree.
    func isWithin(_ other: TreeNode) -> Bool { self === other || other.contains(self) }
}
