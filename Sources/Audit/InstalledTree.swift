import FoundationEssentials
import SafeJSON
import NpmModel

/// The installed tree of a project as npm's arborist loads the actual tree: the root
/// `package.json` and every package folder under `node_modules` (scoped and nested),
/// each with the dependency edges its `package.json` declares.
public struct InstalledTree: Sendable {
    /// One package folder (or the root project, at location `""`).
    public struct Node: Sendable, Equatable {
        /// Install path relative to the project: `""`, `node_modules/a`, `node_modules/a/node_modules/@s/b`.
        public let location: String
        /// `version` from its `package.json`; nil when absent or unreadable (npm skips such packages).
        public let version: String?
        /// The folder is a symbolic link (`npm link`, workspaces): local code, not a registry install.
        public let isLink: Bool
        /// Declared dependencies, in a stable order.
        public let edges: [Edge]
        /// The lockfile's `integrity` for this location, when the lockfile lists the same version.
        public internal(set) var lockedIntegrity: String?
        /// The lockfile's `resolved` for this location, when the lockfile lists the same version.
        public internal(set) var lockedResolved: String?
        /// The lockfile's `version` for this location (nil when it records none).
        public internal(set) var lockedVersion: String?
        /// Whether the lockfile lists this location (outside a bundle), at whatever version.
        public internal(set) var isLocked = false
        /// A file, not a folder: Node loads a file `node_modules/x` (or `x.js`) for `require("x")`.
        public internal(set) var isFile = false
        /// A folder inside the project that a link in node_modules points to (a workspace, a
        /// `file:` folder): local code, whose own dependencies sit in its `node_modules`.
        public internal(set) var isLinkTarget = false
        /// Where a followed link points as written, one hop (`packages/a`, itself maybe a link).
        public internal(set) var linkPath: String?
        /// A link target's package.json `name`: npm's workspace map names each folder by it.
        public internal(set) var packageName: String?
        /// The names its package.json says it bundles (`bundleDependencies`, or all its
        /// dependencies for `true`): only those come with its tarball.
        public internal(set) var bundles: Set<String> = []
        /// Where a followed link points, relative to the project: its target inside the project was
        /// read there.
        public internal(set) var linkTarget: String?
        /// A link whose target inside the project was read (at the target's own location).
        public var isFollowed: Bool { linkTarget != nil }
        /// npm's hidden lockfile, which lists every folder npm placed, does not list this one.
        public internal(set) var isUnlisted = false
        /// package-lock.json (with no hidden lockfile to say what npm placed) locks another version
        /// here, from a source: which of the two npm installed cannot be told (found by review: the
        /// mismatch was taken for a stale lockfile, and every lockfile check of the folder was off).
        public internal(set) var otherLockedVersion: String?
        /// The `name` its package.json gives: what npm audits a folder as (arborist's
        /// `packageName`), whatever the edge reaching it asks for (found by review: an override or a
        /// lockfile entry's `name` installed another package where the edge's name was audited).
        public internal(set) var installedName: String?
        /// Why its package.json, which is there, could not be read (too deep, not JSON this audit
        /// reads): Node and npm may still read a version and dependencies from it.
        public internal(set) var unreadableManifest: String?

        public init(location: String, version: String?, isLink: Bool, edges: [Edge], lockedIntegrity: String? = nil) {
            self.location = location
            self.version = version
            self.isLink = isLink
            self.edges = edges
            self.lockedIntegrity = lockedIntegrity
        }
    }

    /// One declared dependency: `name` with `spec` from one of the dependency fields.
    public struct Edge: Sendable, Equatable {
        public let name: String
        public let spec: String
        public let type: DependencyType
    }

    /// Which `package.json` field declared an edge; npm's `type` in the report.
    public enum DependencyType: String, Sendable, Equatable {
        case dependencies, devDependencies, optionalDependencies, peerDependencies
    }

    /// Every node by location; the root is `""`.
    public let nodes: [String: Node]
    /// The workspaces the root package.json declares: the only local folders npm's audit skips.
    let workspaces: WorkspaceGlobs
    /// Every entry of the tree's `node_modules/.bin` folders.
    var binEntries: [BinFolders.Entry] = []

    public init(nodes: [String: Node]) {
        self.init(nodes: nodes, root: nil)
    }

    /// The tree with the workspaces `root` (the project's package.json) declares.
    init(nodes: [String: Node], root: JSONValue?) {
        self.nodes = nodes
        workspaces = WorkspaceGlobs(root)
    }

    /// Whether the link at `link` is one of npm's workspaces (arborist's `isWorkspace`): the root's
    /// `node_modules/<name>`, pointing at a declared workspace folder whose package.json names it
    /// `<name>` (its folder's name when it names none). Found by review: a link at another name to
    /// a workspace folder is audited by npm, and was skipped here.
    func isWorkspace(link: Node, target: Node) -> Bool {
        let folder = [link.linkPath, target.location].compactMap { $0 }.first(where: workspaces.contains)
        guard let folder else { return false }
        let name = target.packageName ?? String(folder.split(separator: "/").last ?? "")
        return link.location.utf8.elementsEqual(("node_modules/" + name).utf8)
    }

    /// The node an edge out of `from` reaches, found as Node's `require` finds it: the nearest
    /// `node_modules/<name>` walking up from `from`; nil when nothing is installed (npm's MISSING).
    public func resolve(_ name: String, from location: String) -> Node? {
        // Node looks in the node_modules of the folder and of every folder above it, skipping
        // folders that are themselves named node_modules (found by review: a workspace nested in
        // another loads from the outer one's node_modules, which the audit skipped).
        var parts = location.isEmpty ? [] : location.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Array($0) }
        let nodeModules = Array("node_modules".utf8)
        while true {
            if parts.last != nodeModules {
                let base = String(decoding: Array(parts.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
                // The same folder byte for byte: Swift equates canonically equivalent names (a Kelvin
                // sign and `K`), which Node's require tells apart (found by review: `\u{212A}x` served
                // `Kx`, while Node loaded `Kx` from above the project).
                let key = (base.isEmpty ? "" : base + "/") + "node_modules/" + name
                if let node = nodes[key] { return node.location.utf8.elementsEqual(key.utf8) ? node : nil }
            }
            if parts.isEmpty { return nil }
            parts.removeLast()
        }
    }

    /// Locations in npm's inventory order for our purposes: the root first, then sorted paths.
    public var orderedLocations: [String] {
        nodes.keys.sorted { a, b in a.isEmpty || (!b.isEmpty && a < b) }
    }
}

extension InstalledTree.Node {
    /// Edges from a parsed `package.json`. Dev dependencies count only for the root, like arborist;
    /// `optionalDependencies` override the same name in `dependencies`.
    static func edges(of json: JSONValue?, isRoot: Bool) -> [InstalledTree.Edge] {
        guard let json else { return [] }
        var byName: [String: InstalledTree.Edge] = [:]
        var order: [InstalledTree.DependencyType] = [.dependencies, .optionalDependencies, .peerDependencies]
        if isRoot { order.insert(.devDependencies, at: 1) }
        for type in order {
            for (name, spec) in json[type.rawValue]?.stringMap ?? [:] {
                // A peer already declared as a regular dependency keeps the regular edge.
                if type == .peerDependencies, byName[name] != nil { continue }
                byName[name] = InstalledTree.Edge(name: name, spec: spec, type: type)
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }
}
