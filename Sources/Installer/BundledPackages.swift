import FoundationEssentials
import Glibc
import NpmModel
import SafeJSON

/// The packages a verified tarball carries in its own `node_modules` (bundleDependencies): npm
/// installs them from that tarball, so they are covered by its integrity, never verified as
/// registry packages of their own. The report says so rather than let them pass unseen.
enum BundledPackages {
    /// Names under `unpacked/node_modules` (a scope's folders count one level down), sorted.
    static func names(in unpacked: URL) -> [String] {
        let folder = unpacked.appendingPathComponent("node_modules")
        // Most tarballs carry none: one lstat answers, where FileManager's listing failed slowly
        // (building its error cost 0.7% of an install).
        var status = stat()
        guard lstat(folder.path, &status) == 0 else { return [] }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var names: [String] = []
        for entry in entries where !entry.hasBytePrefix(".") {
            guard entry.hasBytePrefix("@") else { names.append(entry); continue }
            let scoped = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(entry).path)) ?? []
            names += scoped.filter { !$0.hasBytePrefix(".") }.map { "\(entry)/\($0)" }
        }
        return names.sorted()
    }

    /// Nesting read below a bundling package; a package deeper still is taken to have install scripts.
    static let maxDepth = 64

    /// The lockfile entries npm writes for what a tarball carries, by path below the package
    /// (`node_modules/b`, `node_modules/b/node_modules/c`): each package folder with its version,
    /// `inBundle`, and the fields that describe its own dependencies. Depth and count are bounded.
    /// At the top, what arborist's `getBundler` counts: the names the package declares
    /// (`declared`), and what their dependencies reach there (found by review: `npm pack` hoists a
    /// bundled package's own dependencies beside it, and npm ran their install scripts unreported).
    static func entries(in unpacked: URL, declared: Set<String>? = nil, depth: Int = 0) -> [(path: String, entry: Lockfile.Entry)] {
        var found: [(path: String, entry: Lockfile.Entry)] = []
        let present = Set(names(in: unpacked).prefix(10_000).filter { (try? PackageName($0)) != nil })
        var queue = declared.map { Array($0.intersection(present)).sorted() } ?? present.sorted()
        var included = Set(queue)
        while !queue.isEmpty {
            let name = queue.removeFirst()
            let folder = unpacked.appendingPathComponent("node_modules").appendingPathComponent(name)
            guard let (entry, nested) = entry(at: folder, depth: depth) else { continue }
            let subtree = [("node_modules/\(name)", entry)] + nested.map { ("node_modules/\(name)/\($0.path)", $0.entry) }
            found += subtree
            // What any package of the subtree depends on and finds nowhere nested resolves here, at
            // the top: bundled too (found by a re-attack: the dependency of a nested package).
            let paths = Set(subtree.map(\.0))
            for (path, entry) in subtree {
                let reached = Set(entry.dependencies.keys).union(entry.optionalDependencies.keys).union(entry.peerDependencies.keys)
                for dependency in reached.sorted() where present.contains(dependency) && !resolvesBelowTop(dependency, from: path, in: paths) {
                    if included.insert(dependency).inserted { queue.append(dependency) }
                }
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Whether Node finds `dependency` for the package at `path` in a node_modules below the top
    /// one: its own, then each enclosing package's, among `paths`.
    static func resolvesBelowTop(_ dependency: String, from path: String, in paths: Set<String>) -> Bool {
        var base = path
        while true {
            if paths.contains(base + "/node_modules/" + dependency) { return true }
            guard let range = base.lastByteRange(of: "/node_modules/") else { return false }
            base = String(base[..<range.lowerBound])
        }
    }

    /// The entry of the package folder `folder`, and those nested in it; nil for a folder with no
    /// package.json. One npm reads and we cannot, or one beyond ``maxDepth`` that nests more, is
    /// taken to have install scripts: npm may run some, and the report must not list fewer.
    private static func entry(at folder: URL, depth: Int) -> (Lockfile.Entry, [(path: String, entry: Lockfile.Entry)])? {
        let manifest: JSONValue
        switch UnpackedManifest.read(directory: folder) {
        case .missing: return nil
        case .unreadable:
            var entry = Lockfile.Entry()
            (entry.inBundle, entry.hasInstallScript) = (true, true)
            return (entry, [])
        case .found(let unpacked):
            manifest = unpacked.json
            var entry = Lockfile.Entry(version: manifest["version"]?.stringValue)
            entry.inBundle = true
            entry.hasInstallScript = unpacked.hasInstallScript(in: folder)
            entry.license = manifest["license"]?.stringValue
            entry.dependencies = manifest["dependencies"]?.stringMap ?? [:]
            entry.optionalDependencies = manifest["optionalDependencies"]?.stringMap ?? [:]
            entry.peerDependencies = manifest["peerDependencies"]?.stringMap ?? [:]
            entry.engines = manifest["engines"]?.stringMap ?? [:]
            guard depth + 1 < maxDepth else {
                if !names(in: folder).isEmpty { entry.hasInstallScript = true }
                return (entry, [])
            }
            return (entry, entries(in: folder, depth: depth + 1))
        }
    }

    /// The warning for `subject`'s bundled `names`, or nil when there are none.
    static func warning(_ subject: String, _ names: [String]) -> String? {
        guard !names.isEmpty else { return nil }
        let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
        return "\(subject) carries \(names.count) bundled package(s) in its own node_modules (\(shown)): installed from its tarball and covered by its integrity, not verified as registry packages of their own"
    }
}
