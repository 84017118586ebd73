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

    /// The lockfile entries npm writes for what a tarball carries, by path below the package
    /// (`node_modules/b`, `node_modules/b/node_modules/c`): each package folder with its version,
    /// `inBundle`, and the fields that describe its own dependencies. Depth and count are bounded.
    /// At the top, only the names the package declares (`declared`) count, as npm records them; a
    /// folder it carries without declaring it, or under a name no package can have, is left out.
    static func entries(in unpacked: URL, declared: Set<String>? = nil, depth: Int = 0) -> [(path: String, entry: Lockfile.Entry)] {
        guard depth < 16 else { return [] }
        var found: [(path: String, entry: Lockfile.Entry)] = []
        for name in names(in: unpacked).prefix(10_000) where (declared?.contains(name) ?? true) && (try? PackageName(name)) != nil {
            let folder = unpacked.appendingPathComponent("node_modules").appendingPathComponent(name)
            guard let unpacked = UnpackedManifest(directory: folder), let version = unpacked.json["version"]?.stringValue else { continue }
            let manifest = unpacked.json
            var entry = Lockfile.Entry(version: version)
            entry.inBundle = true
            entry.hasInstallScript = unpacked.hasInstallScript(in: folder)
            entry.license = manifest["license"]?.stringValue
            entry.dependencies = manifest["dependencies"]?.stringMap ?? [:]
            entry.optionalDependencies = manifest["optionalDependencies"]?.stringMap ?? [:]
            entry.peerDependencies = manifest["peerDependencies"]?.stringMap ?? [:]
            entry.engines = manifest["engines"]?.stringMap ?? [:]
            found.append(("node_modules/\(name)", entry))
            found += entries(in: folder, depth: depth + 1).map { ("node_modules/\(name)/\($0.path)", $0.entry) }
        }
        return found
    }

    /// The warning for `subject`'s bundled `names`, or nil when there are none.
    static func warning(_ subject: String, _ names: [String]) -> String? {
        guard !names.isEmpty else { return nil }
        let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
        return "\(subject) carries \(names.count) bundled package(s) in its own node_modules (\(shown)): installed from its tarball and covered by its integrity, not verified as registry packages of their own"
    }
}
