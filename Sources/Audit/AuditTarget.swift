import SafeJSON
import NpmModel
public import RegistryClient

/// One installed package `npm audit signatures` would check: registry name, installed
/// version, where it sits, the edge type that reached it first, and its registry.
public struct AuditTarget: Sendable, Equatable {
    public let name: String
    public let version: String
    public let location: String
    public let type: InstalledTree.DependencyType
    /// Registry base URL with a trailing slash (the package's scope registry if configured).
    public let registry: String
    /// The integrity the lockfile recorded at install time, if any.
    public let lockedIntegrity: String?
    /// Where the lockfile says the bytes came from (`resolved`), if anywhere.
    public let lockedResolved: String?
    /// The version the lockfile records at this location (nil when it records none).
    public let lockedVersion: String?
    /// Whether the lockfile lists the location at all (outside a bundle).
    public let isLocked: Bool
    /// npm's hidden lockfile, which lists every folder npm placed, does not list this one.
    public var isUnlisted = false
    /// The project folder a link in node_modules points to, when no declared workspace is there:
    /// npm installs that folder's code for a registry spec (found by review).
    public var linkedFolder: String?
    /// The package the dependency asks for (its `npm:` alias or override applied), when the folder
    /// holds another: Node loads that other package under the asked name.
    public var askedName: String?

    public init(name: String, version: String, location: String, type: InstalledTree.DependencyType, registry: String,
                lockedIntegrity: String? = nil, lockedResolved: String? = nil, lockedVersion: String? = nil, isLocked: Bool = false) {
        self.name = name
        self.version = version
        self.location = location
        self.type = type
        self.registry = registry
        self.lockedIntegrity = lockedIntegrity
        self.lockedResolved = lockedResolved
        self.isLocked = isLocked || lockedIntegrity != nil
        self.lockedVersion = isLocked ? lockedVersion : (lockedIntegrity != nil ? version : nil)
    }

    /// `name@version`, npm's `_id`.
    public var id: String { "\(name)@\(version)" }
}

/// Picks the packages to audit from an installed tree with npm's rules
/// (`lib/utils/verify-signatures.js` `getEdgesOut` / `getValidPackageInfo`).
public struct AuditTargetCollector: Sendable {
    public let configuration: RegistryConfiguration

    public init(configuration: RegistryConfiguration) {
        self.configuration = configuration
    }

    /// What was found: the targets, and how many dependency edges the tree has at all.
    public struct Collection: Sendable {
        public let targets: [AuditTarget]
        public let edgeCount: Int
        /// Installed packages a registry spec asks for that cannot be audited (a link, no
        /// readable version): listed, never skipped silently.
        public var skipped: [String] = []
    }

    /// Every edge out of every node; a location is audited once (first edge wins). Skipped, as npm
    /// skips them: missing packages, specs that are not registry specs (git, file, URL, invalid),
    /// installed folders without a version, and declared workspaces; all but workspaces are listed.
    public func collect(_ tree: InstalledTree) -> Collection {
        var seen: Set<String> = []
        var targets: [AuditTarget] = []
        var edgeCount = 0
        var skipped: [String: String] = [:]
        var reached: Set<String> = []  // by any edge, registry or not (a file: folder is no extraneous one)
        for location in tree.orderedLocations {
            guard let node = tree.nodes[location], !node.isLink else { continue }
            for edge in node.edges {
                edgeCount += 1
                let resolved = tree.resolve(edge.name, from: location)
                guard let (installed, linkedFolder) = Self.landing(of: resolved, in: tree, reached: &reached) else { continue }
                guard let installed else {
                    // A missing dependency is looked for in the folders above the project, which nothing audits.
                    if edge.type == .dependencies {
                        skipped["\(location)\u{0}\(edge.name)"] = "\(edge.name)@\(edge.spec), a dependency of \(location.isEmpty ? "the project" : location), is not installed in the project: Node would look for it in the folders above, which are not audited"
                    }
                    continue
                }
                guard let asked = Self.registryName(edgeName: edge.name, spec: edge.spec) else {
                    if let why = Self.notTheProjectsOwn(installed, edge: edge, from: location) { skipped[installed.location] = why }
                    continue
                }
                guard !seen.contains(installed.location) else { continue }
                let name = Self.auditedName(of: installed, asked: asked)
                let (version, why) = Self.auditedVersion(of: installed)
                guard let version else {
                    skipped[installed.location] = "\(installed.location) (\(name)@\(edge.spec)): \(why)"
                    continue
                }
                seen.insert(installed.location)
                var found = target(name: name, version: version, installed: installed, type: edge.type, linkedFolder: linkedFolder)
                if name != asked { found.askedName = asked }
                targets.append(found)
                if let other = installed.otherLockedVersion {
                    // Keyed apart from the location, which is audited: this is a note on it, not a skip.
                    skipped["\(installed.location)\u{0}lock"] = "\(installed.location): package-lock.json locks \(other) here but the folder holds \(version), and no hidden lockfile says which npm installed; the lockfile's source is not checked"
                }
            }
        }
        for (location, why) in Self.unreached(tree, excluding: reached) where skipped[location] == nil {
            if let extraneous = lockedExtraneous(tree.nodes[location]) {
                seen.insert(location)
                targets.append(extraneous)
            } else {
                skipped[location] = why
            }
        }
        for (location, why) in Self.unauditedBins(tree, audited: Set(targets.map(\.location))) { skipped[location] = why }
        return Collection(targets: targets, edgeCount: edgeCount,
                          skipped: skipped.filter { !seen.contains($0.key) }.sorted { $0.key < $1.key }.map(\.value))
    }

    /// The project-relative folder a `file:` spec of the package at `location` names (npm resolves
    /// it from that package's folder); nil for other specs and for paths that leave the project.
    static func fileSpecFolder(_ spec: String, from location: String) -> String? {
        guard spec.hasBytePrefix("file:") else { return nil }
        let path = spec.droppingBytePrefix("file:")
        guard !path.hasBytePrefix("/") else { return nil }
        var parts = location.isEmpty ? [] : location.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { guard !parts.isEmpty else { return nil }; parts.removeLast() } else { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }

    /// Why a folder a non-registry spec reaches is listed, or nil when it is the project's own code.
    /// npm skips such a folder; unless the project's own, it is listed, so `--policy` fails (found
    /// by review: a URL dependency of a dependency ran code no audit or policy ever saw). Only the
    /// folder a `file:` spec names, or a folder of the project outside node_modules, is its own: a
    /// link out of the project, or into another package folder in node_modules, is not.
    static func notTheProjectsOwn(_ installed: InstalledTree.Node, edge: InstalledTree.Edge, from location: String) -> String? {
        if installed.isLinkTarget { return nil }
        if let folder = fileSpecFolder(edge.spec, from: location), folder.utf8.elementsEqual(installed.location.utf8) { return nil }
        return "\(installed.location) (\(edge.name)@\(edge.spec)): installed from a spec that is no registry version (git, a file, a URL)\(installed.isLink ? ", through a link out of the project" : ""), so its bytes are not audited"
    }

    /// The package a folder holds, as npm audits it (its package.json's name), not the one the edge
    /// asks for: an override or a lockfile entry's `name` may have put another there (found by
    /// review); the report then names what is there.
    static func auditedName(of installed: InstalledTree.Node, asked: String) -> String {
        installed.installedName.flatMap { (try? PackageName($0)) != nil ? $0 : nil } ?? asked
    }

    /// The version a folder is audited as, or why it is not. A folder without a package.json still
    /// serves require(): where npm's hidden lockfile says which version it placed there, that version
    /// is audited. One whose package.json is there but unreadable here is not: Node and npm may read
    /// another version from it (found by review: nested deeper than this reader goes, it was taken
    /// for the lockfile's).
    static func auditedVersion(of installed: InstalledTree.Node) -> (version: String?, why: String) {
        let version = installed.version ?? (installed.isLocked && installed.unreadableManifest == nil ? installed.lockedVersion : nil)
        if !installed.isLink, !installed.isFile, let version, !version.isEmpty { return (version, "") }
        let why = installed.isLink ? "a symbolic link" : installed.isFile ? "a file, not a package folder"
            : installed.unreadableManifest.map { "its package.json cannot be read here (\($0.prefix(200))), while Node and npm may read a version and dependencies from it" }
            ?? "no readable version in its package.json"
        return (nil, why)
    }

    /// An extraneous folder the lockfile lists, as the registry package its folder names: npm ci
    /// installs such an entry from where `resolved` says (found by review: one from another host
    /// passed with a note), so it is audited, lockfile checks included. nil for any other node.
    func lockedExtraneous(_ node: InstalledTree.Node?) -> AuditTarget? {
        guard let node, node.isLocked, !node.isLink, !node.isFile, let version = node.version, !version.isEmpty,
              let name = Lockfile.packageName(atPath: node.location) else { return nil }
        return target(name: name, version: version, installed: node, type: .dependencies, linkedFolder: nil)
    }

    /// Where an edge that resolved to `installed` lands, marking what it reaches. A followed link
    /// reaches its target: a package folder elsewhere in node_modules, audited as what the edge asks
    /// for (found by review: a link to node_modules/zzz hid code npm ci fetched from another host),
    /// or a folder of the project. npm skips declared workspaces only (nil); another folder is
    /// audited too, and named as `linkedFolder` (found by review).
    static func landing(of installed: InstalledTree.Node?, in tree: InstalledTree,
                        reached: inout Set<String>) -> (node: InstalledTree.Node?, linkedFolder: String?)? {
        var landed = installed, linkedFolder: String?
        if let link = installed, link.isFollowed, let target = link.linkTarget.flatMap({ tree.nodes[$0] }) {
            reached.insert(link.location)
            if target.isLinkTarget {
                reached.insert(target.location)
                guard !tree.isWorkspace(link: link, target: target) else { return nil }
                linkedFolder = target.location
            }
            landed = target
        }
        if let landed { reached.insert(landed.location) }
        return (landed, linkedFolder)
    }

    /// The audit target for `installed`, with what the lockfile says of it.
    func target(name: String, version: String, installed: InstalledTree.Node, type: InstalledTree.DependencyType,
                linkedFolder: String?) -> AuditTarget {
        let registry = (try? PackageName(name)).map(configuration.registry(for:)) ?? configuration.registry
        var target = AuditTarget(name: name, version: version, location: installed.location, type: type,
                                 registry: registry, lockedIntegrity: installed.lockedIntegrity,
                                 lockedResolved: installed.lockedResolved, lockedVersion: installed.lockedVersion,
                                 isLocked: installed.isLocked)
        target.isUnlisted = installed.isUnlisted
        target.linkedFolder = linkedFolder
        return target
    }

    /// Installed folders no edge reaches, with why they are not audited: npm audits edges, so it
    /// never looks at them. Folders links point to from inside the project are local code.
    static func unreached(_ tree: InstalledTree, excluding reached: Set<String>) -> [String: String] {
        var listed: [String: String] = [:]
        for (location, node) in tree.nodes where !location.isEmpty && !node.isLinkTarget && !reached.contains(location) {
            // The root reaches each workspace by its workspace edge (found by review: `--policy`
            // failed on every monorepo with a workspace nothing else depends on).
            if let target = node.linkTarget.flatMap({ tree.nodes[$0] }), tree.isWorkspace(link: node, target: target) { continue }
            listed[location] = node.isLink
                ? "\(location): a symbolic link\(node.isFollowed ? " nothing depends on, so not audited" : ", not followed, so nothing Node loads through it is audited")"
                : node.isFile ? "\(location): a file, not a package folder; Node can load it for require() and it is not audited"
                : "\(location)\(node.version.map { " (\($0))" } ?? ""): extraneous (no installed package or package.json depends on it), so not audited"
        }
        return listed
    }

    /// Each `.bin` entry that does not lead into a package the audit checks (the deepest package
    /// folder holding its real target, or one above it that carries it): npm runs it for
    /// `npm run`, and nothing vouches for it.
    static func unauditedBins(_ tree: InstalledTree, audited: Set<String>) -> [(String, String)] {
        tree.binEntries.compactMap { entry in
            guard let target = entry.target else {
                return (entry.location, "\(entry.location): no symbolic link into a package of the project, yet npm run and npx run what it names; not audited")
            }
            // The project's own files (a workspace's or a `file:` folder's bins) are its own code.
            guard target.hasBytePrefix("node_modules/") || target.utf8.firstRange(of: "/node_modules/".utf8) != nil else { return nil }
            let holder = Lockfile.enclosingFolders(of: target).lazy.compactMap { folder -> String? in
                // `<folder>/node_modules/<name>[/<name>]…`: the package folder right below it.
                let rest = target.utf8.dropFirst(folder.utf8.count + "/node_modules/".utf8.count)
                let parts = rest.split(separator: UInt8(ascii: "/"), maxSplits: 2, omittingEmptySubsequences: false)
                let count = parts.first?.first == UInt8(ascii: "@") ? 2 : 1
                guard parts.count > count else { return nil }
                return "\(folder)/node_modules/" + parts.prefix(count).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
            }.first ?? Self.topPackage(of: target)
            // Inside an audited package's folder (its bundled dependencies) counts as that package.
            guard let holder, audited.contains(holder) || Lockfile.enclosingFolders(of: holder).contains(where: { audited.contains(String($0)) }) else {
                return (entry.location, "\(entry.location): links to \(target), outside every package the audit checks, yet npm run and npx run it; not audited")
            }
            return nil
        }
    }

    /// `node_modules/<name>` (or `node_modules/@scope/<name>`) holding `path`, when it is below one.
    static func topPackage(of path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "node_modules", parts.count > 2 else { return nil }
        let count = parts[1].hasPrefix("@") ? 3 : 2
        return parts.count > count ? parts.prefix(count).joined(separator: "/") : nil
    }

    /// The registry package name an edge asks for, or nil when the spec is not a registry spec.
    /// `npm:<name>@<range>` aliases name the aliased package, as npm-package-arg's `subSpec`.
    public static func registryName(edgeName: String, spec: String) -> String? {
        if spec.lowercased().hasBytePrefix("npm:") {
            let target = String(spec.dropFirst(4))
            let searchStart = target.hasBytePrefix("@") ? target.utf8.index(after: target.startIndex) : target.startIndex
            let at = target[searchStart...].firstIndex(of: "@")
            let name = at.map { String(target[..<$0]) } ?? target
            let range = at.map { String(target[target.index(after: $0)...]) } ?? "*"
            guard let parsed = try? PackageName(name), (try? PackageSpec(name: parsed, rawSpec: range)) != nil else { return nil }
            return name
        }
        guard let parsed = try? PackageName(edgeName), (try? PackageSpec(name: parsed, rawSpec: spec)) != nil else { return nil }
        return edgeName
    }
}
