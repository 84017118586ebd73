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
    /// Why an optional package cannot run on the platform optional packages are chosen for: npm
    /// records it in the lockfile (another machine installs it) but leaves it, and what only it
    /// needs, off disk.
    var platformMismatch: String?

    init(root name: String) {
        self.name = name
        manifest = nil
        parent = nil
        location = ""
        depth = 0
        isBundled = false
    }

    init(manifest: Manifest, parent: TreeNode) {
        name = manifest.name
        self.manifest = manifest
        self.parent = parent
        location = parent.location.isEmpty ? "node_modules/\(manifest.name)" : "\(parent.location)/node_modules/\(manifest.name)"
        depth = parent.depth + 1
        isBundled = false
    }

    /// What a bundling package's tarball carries at `name` (its version known only once unpacked):
    /// it occupies that folder, so nothing is hoisted past it that Node would find it in place of
    /// (found by review: a dependency placed inside the bundler loaded the bundled copy, outside its
    /// range), and it serves no edge. Never placed, fetched or locked by the resolver.
    init(bundled name: String, in parent: TreeNode) {
        self.name = name
        manifest = nil
        self.parent = parent
        location = "\(parent.location)/node_modules/\(name)"
        depth = parent.depth + 1
        isBundled = true
    }

    /// A bundled placeholder (``init(bundled:in:)``).
    let isBundled: Bool

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

    /// Whether `other` sits inside this node's `node_modules` (at any depth): whether this node is
    /// one of its ancestors. Walks up, O(depth), no strings built (found by review: a prefix test of
    /// locations per check made resolving quadratic in the paths' length too).
    func contains(_ other: TreeNode) -> Bool {
        var level = other.parent
        while let current = level, current.depth >= depth {
            if current === self { return true }
            level = current.parent
        }
        return false
    }

    /// Per edge name, how many edges of nodes strictly inside this one lead to a node outside it:
    /// a `name` placed here would shadow what they load. Kept by the resolver as it adds edges.
    var edgesLeaving: [String: Int] = [:]
}
