public import FoundationEssentials
import Glibc
import DurableFile
import NpmModel
import SafeJSON
import Synchronization
public import CodedError

/// Reads ``InstalledTree`` from a project folder: the root `package.json`, then every package
/// folder under `node_modules` (scopes, nesting), without following symbolic links.
public struct InstalledTreeReader: Sendable {
    /// Deepest `node_modules` nesting followed, so a hostile or looping tree cannot run forever.
    public static let maxDepth = 64
    /// Most package folders read.
    public static let maxPackages = 100_000
    /// Largest `package.json` read.
    public static let maxManifestBytes = 8 * 1024 * 1024
    /// Largest lockfile read (a larger one is left unread, as an unreadable one is).
    public static let maxLockfileBytes = 256 * 1024 * 1024
    /// Most dependency declarations read from all package.json files together: each becomes an
    /// edge the audit resolves and may list (found by review: ten links to one 6 MB package.json
    /// of 300,000 dependencies took 91 s and 2.8 GB, and 25 of them aborted the process).
    public static let maxEdges = 500_000
    private let edgeCount = EdgeTally()

    public init() {}

    /// `json`'s edges, counted against `maxEdges` for this read.
    func edges(of json: JSONValue?, isRoot: Bool) throws(AuditError) -> [InstalledTree.Edge] {
        let edges = InstalledTree.Node.edges(of: json, isRoot: isRoot)
        let total = edgeCount.add(edges.count)
        guard total <= Self.maxEdges else {
            throw AuditError(.unreadableTree, "the package.json files under node_modules declare more than \(Self.maxEdges) dependencies in all: refusing a pathological tree")
        }
        return edges
    }

    /// The tree under `prefix`. A missing root `package.json` is an empty root, as arborist treats it.
    public func read(prefix: URL) throws(AuditError) -> InstalledTree {
        // A project folder that is not there cannot be read (exit 4), which is not a tree with
        // nothing installed (exit 1; found by review).
        var status = stat()
        let found = stat(prefix.path, &status) == 0 ? nil : String(cString: strerror(errno))
        guard found == nil, status.st_mode & S_IFMT == S_IFDIR else {
            throw AuditError(.unreadableTree, "the project folder \(prefix.path) cannot be read: \(found ?? "not a folder")")
        }
        edgeCount.reset()
        var nodes: [String: InstalledTree.Node] = [:]
        let rootJSON = try Self.projectManifest(at: prefix.appendingPathComponent("package.json"))
        nodes[""] = InstalledTree.Node(location: "", version: rootJSON?["version"]?.stringValue, isLink: false,
                                       edges: try edges(of: rootJSON, isRoot: true))
        var links: [String] = []
        try walk(prefix.appendingPathComponent("node_modules"), location: "node_modules", depth: 1, into: &nodes, links: &links)
        try readLinkedFolders(prefix: prefix, links: links, into: &nodes)
        if let (lockfile, hidden) = try Self.lockfile(prefix: prefix) { Self.mark(&nodes, from: lockfile, hidden: hidden) }
        var tree = InstalledTree(nodes: nodes, root: rootJSON)
        tree.binEntries = BinFolders.entries(prefix: prefix, folders: Self.binSearchFolders(nodes))
        return tree
    }

    /// What the lockfile says of each folder read: npm's hidden lockfile lists every folder npm
    /// placed (one it does not list is marked), and each entry's source is attached to its folder.
    static func mark(_ nodes: inout [String: InstalledTree.Node], from lockfile: Lockfile, hidden: Bool) {
        // npm's hidden lockfile lists every folder npm placed: a registry package it does not
        // list was not installed by npm from anywhere it records (found by review).
        if hidden {
            for (location, node) in nodes where !location.isEmpty && !node.isLink && !node.isLinkTarget && !Self.lists(lockfile, location) {
                nodes[location]?.isUnlisted = true
            }
        }
        // `inBundle` excuses an entry only where its parent's package.json bundles it (found by
        // review: without the hidden lockfile, a made-up `inBundle` hid a foreign `resolved`).
        // An entry that names a source (`resolved`, `integrity`) was fetched, bundle or not: npm
        // fetches what the root's own bundleDependencies cover, and marks it inBundle (found
        // by review: such code from a foreign host passed the audit).
        for (location, entry) in lockfile.packages where !location.isEmpty
            && !(entry.inBundle && entry.resolved == nil && entry.integrity == nil && Self.isBundled(location, in: nodes)) {
            // The same folder byte for byte: a lockfile path in another Unicode form names another
            // folder. A bundled entry's bytes came with its parent's verified tarball. npm keeps the
            // hidden lockfile in step with node_modules, so there a version that differs is a finding;
            // package-lock.json may just be stale.
            guard let node = nodes[location], node.location.utf8.elementsEqual(location.utf8), !node.isLink else { continue }
            guard hidden || node.version == entry.version else {
                if entry.resolved != nil || entry.integrity != nil {
                    nodes[location]?.otherLockedVersion = "\(entry.version ?? "no version")\(entry.resolved.map { " from \($0)" } ?? "")"
                }
                continue
            }
            nodes[location]?.lockedIntegrity = entry.integrity
            nodes[location]?.lockedResolved = entry.resolved
            nodes[location]?.lockedVersion = entry.version
            nodes[location]?.isLocked = true
        }
    }

    /// Every node_modules folder whose `.bin` a script's PATH may hold (npm run puts each ancestor's
    /// on it): the project's, each package folder's own, the one holding each package (a scope's
    /// `@s/node_modules` too), and those above each linked folder (found by review: a workspace
    /// parent's `packages/node_modules/.bin` ran unaudited).
    static func binSearchFolders(_ nodes: [String: InstalledTree.Node]) -> Set<String> {
        var folders: Set<String> = ["node_modules"]
        for node in nodes.values where !node.location.isEmpty && !node.isLink && !node.isFile {
            folders.insert("\(node.location)/node_modules")
            if let range = node.location.lastByteRange(of: "/node_modules/") {
                folders.insert(String(node.location[..<range.lowerBound]) + "/node_modules")
            }
            let parts = node.location.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 3, parts[parts.count - 2].hasPrefix("@") {
                folders.insert(parts.dropLast().joined(separator: "/") + "/node_modules")
            }
            if node.isLinkTarget { folders.formUnion(nodeModulesFolders(for: node.location)) }
        }
        return folders
    }

    /// Whether the lockfile lists `location` byte for byte (a key in another Unicode form names
    /// another folder, which Swift's dictionary would take for this one).
    static func lists(_ lockfile: Lockfile, _ location: String) -> Bool {
        lockfile.packages.index(forKey: location).map { lockfile.packages[$0].key.utf8.elementsEqual(location.utf8) } ?? false
    }

    /// Whether a package folder above `location` bundles dependencies at all: what its tarball
    /// carries may sit anywhere below it (a bundled package's own dependencies are hoisted beside it).
    static func isBundled(_ location: String, in nodes: [String: InstalledTree.Node]) -> Bool {
        var rest = location
        while let range = rest.lastByteRange(of: "/node_modules/") {
            rest = String(rest[..<range.lowerBound])
            if !(nodes[rest]?.bundles.isEmpty ?? true) { return true }
        }
        return false
    }

    /// The hidden lockfile npm keeps for the actual tree (`node_modules/.package-lock.json`), else
    /// `npm-shrinkwrap.json`, else `package-lock.json`; nil when none exists (npm then reads
    /// folders only). One that exists
    /// but cannot be read is an error: it says where npm took each package's bytes from, and
    /// skipping it skipped every check of those sources (found by review).
    static func lockfile(prefix: URL) throws(AuditError) -> (Lockfile, hidden: Bool)? {
        // npm reads npm-shrinkwrap.json over package-lock.json (found by review).
        for relative in ["node_modules/.package-lock.json", "npm-shrinkwrap.json", "package-lock.json"] {
            let url = prefix.appendingPathComponent(relative)
            let data: Data?
            do { data = try DurableFile.read(url.path, limit: Self.maxLockfileBytes) } catch {
                throw AuditError(.unreadableTree, "\(url.path) cannot be read: \(error)")
            }
            guard let data else { continue }
            do { return (try Lockfile(data: data, file: url.path), relative.hasPrefix("node_modules/")) } catch let error as NpmModelError where error.code == .unsupportedLockfile {
                continue  // npm 6's v1 lockfile: npm reads the folders alone, and so does the audit
            } catch {
                throw AuditError(.unreadableTree, "\(url.path) cannot be read, so where npm took each package's bytes from cannot be checked: \(error)")
            }
        }
        return nil
    }

    /// Reads every package folder in one `node_modules` folder and recurses into theirs.
    func walk(_ folder: URL, location: String, depth: Int, into nodes: inout [String: InstalledTree.Node],
              links: inout [String]) throws(AuditError) {
        guard depth <= Self.maxDepth else {
            throw AuditError(.unreadableTree, "\(folder.path) is nested more than \(Self.maxDepth) node_modules deep")
        }
        for name in Self.children(of: folder) where !name.hasBytePrefix(".") || Self.mayServeRequire(folder.appendingPathComponent(name), name, atRoot: location == "node_modules") {
            if name.hasBytePrefix("@") {
                let scope = folder.appendingPathComponent(name)
                guard !Self.isLink(scope) else {
                    // Not followed, but listed: Node would load the packages of that scope from there.
                    try Self.insert(InstalledTree.Node(location: "\(location)/\(name)", version: nil, isLink: true, edges: []), into: &nodes)
                    continue
                }
                // `@s/.x` is a valid package name, which npm installs and Node loads (found by review).
                // Tools' files aside, but never a folder of that name (found by review: a package
                // installed as `@s/.DS_Store` was skipped).
                for inner in Self.children(of: scope) where !(Self.toolFiles.contains(inner) && !Self.isDirectory(scope.appendingPathComponent(inner))) {
                    // Node searches `node_modules/@s/node_modules` for the packages of `@s` (found by
                    // review: read as a package named `@s/node_modules`, what it held was never audited).
                    guard inner != "node_modules" else {
                        try nestedFolder(scope.appendingPathComponent(inner), location: "\(location)/\(name)/node_modules", depth: depth, into: &nodes, links: &links)
                        continue
                    }
                    try add(scope.appendingPathComponent(inner), location: "\(location)/\(name)/\(inner)", depth: depth, into: &nodes, links: &links)
                }
            } else {
                try add(folder.appendingPathComponent(name), location: "\(location)/\(name)", depth: depth, into: &nodes, links: &links)
            }
        }
    }

    private func add(_ folder: URL, location: String, depth: Int, into nodes: inout [String: InstalledTree.Node],
                     links: inout [String]) throws(AuditError) {
        guard nodes.count < Self.maxPackages else {
            throw AuditError(.unreadableTree, "more than \(Self.maxPackages) packages under node_modules")
        }
        if Self.isLink(folder) {
            try Self.insert(InstalledTree.Node(location: location, version: nil, isLink: true, edges: []), into: &nodes)
            links.append(location)
            return
        }
        guard Self.isDirectory(folder) else {
            // Listed, never dropped: Node loads node_modules/x, x.js or x.json for require("x"),
            // before a folder of that name (found by review: a file there passed the audit).
            try Self.insert(InstalledTree.Node(location: location, version: nil, isLink: false, edges: []), into: &nodes)
            nodes[location]?.isFile = true
            return
        }
        let (json, unreadable) = Self.manifest(at: folder.appendingPathComponent("package.json"))
        try Self.insert(InstalledTree.Node(location: location, version: Self.version(of: json), isLink: false,
                                           edges: try edges(of: json, isRoot: false)), into: &nodes)
        nodes[location]?.bundles = Manifest.bundled(json ?? .null, dependencies: json?["dependencies"]?.stringMap ?? [:])
        nodes[location]?.unreadableManifest = unreadable
        nodes[location]?.installedName = json?["name"]?.stringValue
        try nestedFolder(folder.appendingPathComponent("node_modules"), location: "\(location)/node_modules", depth: depth, into: &nodes, links: &links)
    }

    /// A `node_modules` folder below the project's: walked, or listed when it is a link (never
    /// followed out of the project, but Node would load from there).
    private func nestedFolder(_ nested: URL, location: String, depth: Int, into nodes: inout [String: InstalledTree.Node],
                              links: inout [String]) throws(AuditError) {
        guard !Self.isLink(nested) else {
            try Self.insert(InstalledTree.Node(location: location, version: nil, isLink: true, edges: []), into: &nodes)
            return
        }
        try walk(nested, location: location, depth: depth + 1, into: &nodes, links: &links)
    }

    /// Whether a dot-named entry of a node_modules folder is something `require(".name")` loads
    /// (found by review: every dot entry was skipped, and Node loaded code from `.evil`): a folder
    /// with a package.json or an index file, or any file. npm's `.bin` and the project's hidden
    /// lockfile, tools' files (``toolFiles``) and folders (`.cache`, `.vite`, `.pnpm`) are not.
    static func mayServeRequire(_ url: URL, _ name: String, atRoot: Bool) -> Bool {
        if isDirectory(url) {
            guard name != ".bin" else { return false }
            return ["package.json", "index.js", "index.json", "index.node"].contains { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
        }
        // `require(".x")` loads the file `.x` itself as JavaScript, whatever its name (found by
        // review); npm's hidden lockfile is a file of the project's node_modules only.
        guard !toolFiles.contains(name), !name.hasBytePrefix(".pnpm-workspace-state") else { return false }
        return !(atRoot && name == ".package-lock.json" && !isLink(url))
    }

    /// Files package managers and systems keep in node_modules, which nothing requires.
    static let toolFiles: Set<String> = [".yarn-integrity", ".modules.yaml", ".yarn-state.yml", ".DS_Store"]

    /// Adds a node; two folders whose names differ only in Unicode form (`é` composed and
    /// decomposed) are one key to Swift but two packages to Node, so such a tree is refused
    /// rather than audited with one of them silently missing.
    static func insert(_ node: InstalledTree.Node, into nodes: inout [String: InstalledTree.Node]) throws(AuditError) {
        if let existing = nodes[node.location] {
            // The same folder read again (a scope's node_modules reached through a link too: found by
            // review, it was reported as two folders) is the same node.
            guard !existing.location.utf8.elementsEqual(node.location.utf8) else { return }
            throw AuditError(.unreadableTree, "\(existing.location) and \(node.location) are two folders whose names differ only in Unicode form; the audit cannot tell them apart")
        }
        nodes[node.location] = node
    }

    // MARK: - File system

    static func children(of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    static func isLink(_ url: URL) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory
    }

    /// The parsed `package.json`; nil when missing or no regular file (a FIFO, a device, a folder:
    /// Node reads no version from those either), and nil with why when it is a regular file that
    /// cannot be read here (too large, nested deeper than this reader goes, not a JSON object). A
    /// UTF-8 byte order mark is dropped, as npm's reader drops it.
    static func manifest(at url: URL) -> (JSONValue?, unreadable: String?) {
        do { return (try projectManifest(at: url), nil) } catch {
            var info = stat()
            let regular = stat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
            return (nil, regular ? error.message : nil)
        }
    }

    /// The project's own package.json (the root's, a workspace's, a linked folder's): nil when there
    /// is none; one that is there but cannot be read stops the audit, as npm stops on it. Found by
    /// review: a byte order mark made the root read as empty, and a dependency npm ci had fetched
    /// from another host was listed as extraneous while the audit passed.
    static func projectManifest(at url: URL) throws(AuditError) -> JSONValue? {
        // Bounded, and never from a FIFO, which would hang the audit.
        let read: Data?
        do { read = try DurableFile.read(url.path, limit: maxManifestBytes) } catch {
            throw AuditError(.unreadableTree, "\(url.path) cannot be read: \(error)")
        }
        guard let data = read else { return nil }
        guard let json = try? JSONValue.parseAsNpmReadsFile(data), json.objectValue != nil else {
            throw AuditError(.unreadableTree, "\(url.path) is not a JSON object this audit can read, while npm reads its dependencies from it")
        }
        return json
    }
}

/// The edges one reader has read so far (a reader's methods take no `inout` counter).
private final class EdgeTally: Sendable {
    private let count = Mutex(0)

    func add(_ edges: Int) -> Int {
        count.withLock { count in
            count += edges
            return count
        }
    }

    func reset() { count.withLock { $0 = 0 } }
}
