import FoundationEssentials
import NpmModel
import SafeJSON

/// Lockfile entries npm installs from the tarball of the package above them (`"inBundle": true`:
/// that package's `bundleDependencies`), never from the registry. `ci` fetches nothing for them;
/// the bundling package's verified tarball must provide each one, at its locked version.
struct BundledEntries {
    /// The bundled entries by install path.
    let entries: [String: Lockfile.Entry]

    /// Splits bundled entries from the rest. Only an entry below another locked entry can be
    /// bundled: one directly under the project is installed and verified as a registry package,
    /// whatever its flag says (the project itself is not a tarball).
    /// An `extraneous` entry inside another locked package's folder, recorded as npm records what a
    /// tarball carries without declaring it (no `resolved`, no `integrity`), is neither installed
    /// nor checked: it comes with that tarball. One that names a source is left to `others`, where
    /// ci refuses it as extraneous (found by review: npm ci fetched it from any host and ran its
    /// scripts, while we left it out with a note).
    static func split(_ packages: [String: Lockfile.Entry]) -> (others: [String], bundled: BundledEntries, ignored: [String]) {
        var others: [String] = [], ignored: [String] = [], bundled: [String: Lockfile.Entry] = [:]
        for path in packages.keys.sorted() where !path.isEmpty {
            let entry = packages[path]!
            if entry.inBundle, let names = Lockfile.installPathNames(path), names.count > 1,
               packages[Lockfile.installPath(Array(names.dropLast()))] != nil {
                bundled[path] = entry
            } else if entry.extraneous, entry.resolved == nil, entry.integrity == nil, !entry.hasInstallScript,
                      let range = path.lastByteRange(of: "/node_modules/"),
                      packages[String(path[..<range.lowerBound])] != nil {
                ignored.append(path)
            } else {
                others.append(path)
            }
        }
        return (others, BundledEntries(entries: bundled), ignored)
    }

    /// `edge`, optional when a bundled package declares it: npm installs nothing for a bundle's
    /// dependencies, so one its tarball lacks is missing after npm too, not a broken lockfile.
    func relaxed(_ edge: LockfileStructure.Edge) -> LockfileStructure.Edge {
        guard entries[edge.from] != nil else { return edge }
        return LockfileStructure.Edge(from: edge.from, name: edge.name, spec: edge.spec, optional: true, declaredBy: edge.declaredBy)
    }

    /// These entries without the ones inside a folder `ci` leaves out for its platform.
    /// Each path's folders are looked up, not every skipped path tried on every entry (the
    /// pattern a review found quadratic in the lockfile reader).
    func leavingOut(_ skipped: some Collection<String>) -> BundledEntries {
        guard !skipped.isEmpty else { return self }
        let folders = Set(skipped.map { Array($0.utf8) })
        return BundledEntries(entries: entries.filter { path, _ in
            !Lockfile.enclosingFolders(of: path).contains { folders.contains(Array($0.utf8)) }
        })
    }

    /// Locked versions by install path.
    var versions: [String: String] { entries.compactMapValues(\.version) }

    /// Throws unless the placed tree under `root` holds every bundled entry at its locked version,
    /// and none of the `skipped` paths: a bundle's copy must not stand where the lockfile puts a
    /// package `ci` left out (npm removes that folder with the package).
    func confirm(in root: URL, file: String, skipped: some Collection<String>) throws {
        for path in skipped.sorted() where FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
            throw InstallError(.verification, "\(file): \(path) is left out for its platform, but the verified tarball of a package above it carries a folder there")
        }
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let found = UnpackedManifest(directory: root.appendingPathComponent(path))?.json["version"]?.stringValue
            guard let found, found.utf8.elementsEqual((entry.version ?? "").utf8) else {
                throw InstallError(.verification, "\(file) says \(path) (\(entry.version ?? "no version")) is bundled in the tarball of the package above it, but that verified tarball provides \(found.map { "version \($0)" } ?? "no such package")")
            }
        }
    }
}
