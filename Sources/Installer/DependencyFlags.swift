import NpmModel

/// npm's lockfile flags: `dev` (only reachable through the root's devDependencies),
/// `optional` (only through optional edges), `devOptional` (only through edges that are one or
/// the other), `peer` (only through peer edges).
struct DependencyFlags {
    private var notDev = Set<String>()
    private var notOptional = Set<String>()
    private var notPeer = Set<String>()
    /// Reached through edges that are neither dev nor optional (npm's calc-dep-flags `unsetDevOpt`).
    private var notDevOptional = Set<String>()

    init(root: TreeNode) {
        notDev = Self.reach(from: root, following: { from, kind in !(from.location.isEmpty && kind == .dev) })
        notOptional = Self.reach(from: root, following: { _, kind in kind != .optional })
        notPeer = Self.reach(from: root, following: { _, kind in kind != .peer })
        notDevOptional = Self.reach(from: root, following: { from, kind in kind != .optional && !(from.location.isEmpty && kind == .dev) })
    }

    func apply(to package: inout PlannedPackage) {
        package.dev = !notDev.contains(package.location)
        package.optional = !notOptional.contains(package.location)
        package.devOptional = !notDevOptional.contains(package.location)
        package.peer = !notPeer.contains(package.location)
        package.lockEntry.dev = package.dev
        package.lockEntry.optional = package.optional
        package.lockEntry.devOptional = package.devOptional
        package.lockEntry.peer = package.peer
    }

    /// Locations reachable from the root through edges that `following` accepts.
    private static func reach(from root: TreeNode, following: (TreeNode, EdgeKind) -> Bool) -> Set<String> {
        var seen = Set<String>()
        var stack = [root]
        while let node = stack.popLast() {
            for (_, edge) in node.edges where following(node, edge.kind) && !seen.contains(edge.node.location) {
                seen.insert(edge.node.location)
                stack.append(edge.node)
            }
        }
        return seen
    }
}
