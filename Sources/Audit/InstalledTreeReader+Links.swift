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
    /// Targets outside the project stay unread and listed.
    func readLinkedFolders(prefix: URL, into nodes: inout [String: InstalledTree.Node]) throws(AuditError) {
        guard let root = Self.realPath(prefix.path) else { return }
        var done: Set<String> = []
        while case let pending = nodes.values.filter({ $0.isLink && !done.contains($0.location) }).map(\.location).sorted(), !pending.isEmpty {
            for location in pending {
                done.insert(location)
                guard let target = Self.realPath(prefix.appendingPathComponent(location).path), target.hasBytePrefix(root + "/") else { continue }
                let relative = String(decoding: target.utf8.dropFirst(root.utf8.count + 1), as: UTF8.self)
                let folder = URL(fileURLWithPath: target)
                guard nodes[relative] == nil, !relative.utf8.split(separator: UInt8(ascii: "/")).contains(where: { $0.elementsEqual("node_modules".utf8) }),
                      Self.isDirectory(folder) else { continue }
                let json = Self.manifest(at: folder.appendingPathComponent("package.json"))
                try Self.insert(InstalledTree.Node(location: relative, version: Self.version(of: json), isLink: false,
                                                   edges: InstalledTree.Node.edges(of: json, isRoot: false)), into: &nodes)
                nodes[relative]?.isLinkTarget = true
                let nested = folder.appendingPathComponent("node_modules")
                if !Self.isLink(nested) { try walk(nested, location: relative + "/node_modules", depth: 1, into: &nodes) }
            }
        }
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
