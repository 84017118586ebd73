import FoundationEssentials
import NpmModel
import SafeJSON

/// The packages a verified tarball carries in its own `node_modules` (bundleDependencies): npm
/// installs them from that tarball, so they are covered by its integrity, never verified as
/// registry packages of their own. The report says so rather than let them pass unseen.
enum BundledPackages {
    /// Names under `unpacked/node_modules` (a scope's folders count one level down), sorted.
    static func names(in unpacked: URL) -> [String] {
        let folder = unpacked.appendingPathComponent("node_modules")
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
            found.append(("node_modules/\(name)", entry))
            found += nested.map { ("node_modules/\(name)/\($0.path)", $0.entry) }
            // A dependency not nested under it resolves here, beside it: bundled too.
            let reached = Set(entry.dependencies.keys).union(entry.optionalDependencies.keys).union(entry.peerDependencies.keys)
            let nestedNames = Set(nested.map(\.path))
            for dependency in reached.sorted() where present.contains(dependency) && !nestedNames.contains("node_modules/\(dependency)") {
                if included.insert(dependency).inserted { queue.append(dependency) }
            }
        }
        return found.sorted { $0.path < $1.path }
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
