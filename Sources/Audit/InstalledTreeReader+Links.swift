import CodedError
import FoundationEssentials
import Glibc
import SafeJSON
import Semver

extension InstalledTreeReader {
    /// Workspaces and `file:` folders: npm links them into node_modules and installs their own
    /// dependencies in `<folder>/node_modules` (arborist's fsChildren). A link whose target is a
    /// folder inside the project is read there too, so Node's loads from it are audited at their
    /// real paths, and the hidden lockfile's entries for them are checked (found by review: npm ci
    /// filled `packages/ws/node_modules` from another host, and the audit never looked there).
    /// So is every node_modules folder above the target, where Node also looks. Targets outside
    /// the project stay unread and listed. `links` are the links found so far; ones found on the way
    /// join the queue.
    /// Where the link at `location` points as written, one hop, relative to the project (npm's
    /// workspace globs match the path they walked, which may itself be a link: found by review).
    static func literalTarget(of location: String, prefix: URL) -> String? {
        guard let written = try? FileManager.default.destinationOfSymbolicLink(atPath: prefix.appendingPathComponent(location).path) else { return nil }
        let base = written.hasPrefix("/") ? written : (location.split(separator: "/").dropLast().joined(separator: "/") + "/" + written)
        let root = prefix.standardizedFileURL.path
        let relative = written.hasPrefix("/") ? (base.hasPrefix(root + "/") ? String(base.dropFirst(root.count + 1)) : nil) : base
        var parts: [Substring] = []
        for part in (relative ?? "").split(separator: "/") where part != "." {
            if part == ".." { guard !parts.isEmpty else { return nil }; parts.removeLast() } else { parts.append(part) }
        }
        return relative == nil || parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    func readLinkedFolders(prefix: URL, links: [String], into nodes: inout [String: InstalledTree.Node]) throws(AuditError) {
        guard let root = Self.realPath(prefix.path) else { return }
        var queue = links, index = 0
        var read: Set<String> = ["node_modules"]  // node_modules folders walked
        while index < queue.count {
            let location = queue[index]
            index += 1
            guard let target = Self.realPath(prefix.appendingPathComponent(location).path), target.hasBytePrefix(root + "/") else { continue }
            let relative = String(decoding: target.utf8.dropFirst(root.utf8.count + 1), as: UTF8.self)
            let folder = URL(fileURLWithPath: target)
            guard Self.isDirectory(folder) else { continue }
            nodes[location]?.linkTarget = relative
            nodes[location]?.linkPath = Self.literalTarget(of: location, prefix: prefix)
            // A target inside a node_modules folder is a package there: walking that folder adds it.
            let parts = relative.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
            let inNodeModules = parts.dropLast().last == "node_modules"
                || parts.count >= 3 && parts[parts.count - 3] == "node_modules" && parts[parts.count - 2].hasBytePrefix("@")
            if nodes[relative] == nil, !inNodeModules {
                guard nodes.count < Self.maxPackages else { throw AuditError(.unreadableTree, "more than \(Self.maxPackages) packages under node_modules") }
                let json = try Self.projectManifest(at: folder.appendingPathComponent("package.json"))
                // A link target is a top of its own tree to arborist: its devDependencies count.
                try Self.insert(InstalledTree.Node(location: relative, version: Self.version(of: json), isLink: false,
                                                   edges: try edges(of: json, isRoot: true)), into: &nodes)
                nodes[relative]?.isLinkTarget = true
                nodes[relative]?.packageName = json?["name"]?.stringValue
            }
            for folder in Self.nodeModulesFolders(for: relative).reversed() where !read.contains(folder) && !Self.walkedByAdd(folder, nodes) {
                read.insert(folder)
                let url = prefix.appendingPathComponent(folder)
                guard Self.isDirectory(url), !Self.isLink(url) else { continue }
                try walk(url, location: folder, depth: 1, into: &nodes, links: &queue)
            }
        }
    }

    /// Whether `folder` (`<dir>/node_modules`) is the nested node_modules of a package folder the
    /// main walk added, which it walked then.
    static func walkedByAdd(_ folder: String, _ nodes: [String: InstalledTree.Node]) -> Bool {
        let dir = String(decoding: folder.utf8.dropLast("/node_modules".utf8.count), as: UTF8.self)
        guard let node = nodes[dir] else { return false }
        return !node.isLink && !node.isLinkTarget && !node.isFile
    }

    /// The node_modules folders Node looks in for a package at `location`: its own, then those of
    /// every folder above it that is not itself named node_modules, the project's excepted.
    static func nodeModulesFolders(for location: String) -> [String] {
        var parts = location.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var folders: [String] = []
        while !parts.isEmpty {
            if parts.last != "node_modules" { folders.append(parts.joined(separator: "/") + "/node_modules") }
            parts.removeLast()
        }
        return folders
    }

    /// The canonical path (links resolved), or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `version` as npm reads it from a package.json: cleaned (`v1.0.0` is 1.0.0), else as written
    /// (found by review: the raw text made the audit ask the registry for `v1.0.0`).
    static func version(of json: JSONValue?) -> String? {
        json?["version"]?.stringValue.map { Semver.clean($0, loose: true) ?? $0 }
    }
}
