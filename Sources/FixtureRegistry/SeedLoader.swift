public import Foundation
import SafeJSON
import Tarball

/// Loads the seed packages of `Registry/packages/` into storage.
///
/// Layout: `<seeds>/<name>/<version>/` (or `<seeds>/@scope/<name>/<version>/`)
/// holds the source of one version (`package.json` plus files), packed with
/// ``TarballPacker`` the way `npm pack` would; `<seeds>/<name>/dist-tags.json`
/// maps tags to versions. Versions already in storage (an earlier run on the
/// same `--storage`) are left alone, so loading twice is harmless.
public struct SeedLoader: Sendable {
    /// The seed folder.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The user seeds are published as (a publisher of `@mochi` in `Registry/config.json`).
    public static let publisher = "mochi-publisher"

    /// One loaded package: its versions (in load order) and dist-tags.
    public struct LoadedPackage: Sendable, Hashable {
        public let name: PackageName
        public let versions: [String]
        public let distTags: [String: String]
    }

    // MARK: - Loading

    /// Packs and stores every seed version `include` accepts (all by default), then sets each
    /// package's dist-tags when `setTags`; returns what was found, sorted by name.
    @discardableResult
    /// With `setTags`, the seed's dist-tags are set on the packages `tagging` names, by default those
    /// this call stored a version of: a restart on kept storage must not move tags the registry has
    /// moved since (found by review: `latest` went back to the seed's after a restart).
    public func load(into storage: RegistryStorage, including include: (PackageName, String) -> Bool = { _, _ in true },
                     setTags: Bool = true, tagging: ((PackageName) -> Bool)? = nil) throws(RegistryError) -> [LoadedPackage] {
        var loaded: [LoadedPackage] = []
        for (name, folder) in try packageFolders() {
            loaded.append(try load(name, from: folder, into: storage, including: include, setTags: setTags, tagging: tagging))
        }
        return loaded
    }

    /// Every seed package: its name, folder, versions in ascending order and dist-tags, without storing anything.
    public func packages() throws(RegistryError) -> [(name: PackageName, folder: URL, package: LoadedPackage)] {
        var found: [(name: PackageName, folder: URL, package: LoadedPackage)] = []
        for (name, folder) in try packageFolders() {
            let distTags = try readDistTags(folder.appendingPathComponent("dist-tags.json"))
            found.append((name, folder, LoadedPackage(name: name, versions: sortedVersions(in: folder), distTags: distTags)))
        }
        return found
    }

    private func sortedVersions(in folder: URL) -> [String] {
        subfolders(of: folder).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }

    private func load(_ name: PackageName, from folder: URL, into storage: RegistryStorage, including include: (PackageName, String) -> Bool,
                      setTags: Bool, tagging: ((PackageName) -> Bool)?) throws(RegistryError) -> LoadedPackage {
        let distTags = try readDistTags(folder.appendingPathComponent("dist-tags.json"))
        let versions = sortedVersions(in: folder)
        guard !versions.isEmpty else { throw .invalidSeed(path: folder.path, reason: "no version folders") }
        for (tag, version) in distTags where !versions.contains(version) {
            throw .invalidSeed(path: folder.path, reason: "dist-tag \(tag) names \(version), which has no folder")
        }
        var storedAny = false
        // A version unpublished since stays unpublished (found by a re-attack: a restart tried to publish it again and failed).
        for version in versions where include(name, version) && !storage.wasPublished(name, version) {
            storedAny = true
            let source = folder.appendingPathComponent(version, isDirectory: true)
            var manifest = try readManifest(source, name: name, version: version)
            if let readme = readReadme(source) {
                manifest["readme"] = .string(readme.text)
                manifest["readmeFilename"] = .string(readme.file)
            }
            let tarball: Data
            do { tarball = try TarballPacker.pack(directory: source) } catch {
                throw .invalidSeed(path: source.path, reason: "cannot pack: \(error)")
            }
            let tags = distTags.filter { $0.value == version }.map(\.key).sorted()
            // The same path as `npm publish`: npm's body, checked and stored by the registry's publish.
            let body = try NpmPublishBody.make(manifest: manifest, tarball: tarball, tags: tags)
            try storage.publish(body: body, by: AuthenticatedUser(name: Self.publisher))
        }
        let stored = try storage.packument(for: name)?.distTags ?? [:]
        let mayTag = setTags && (tagging.map { $0(name) } ?? storedAny)
        for (tag, version) in distTags.sorted(by: { $0.key < $1.key }) where mayTag && stored[tag] != version && storage.hasVersion(name, version) {
            try storage.setDistTag(tag, of: name, to: version)
        }
        return LoadedPackage(name: name, versions: versions, distTags: distTags)
    }

    // MARK: - Reading the folder

    /// `(name, folder)` for every package folder, scoped ones under `@scope/`.
    private func packageFolders() throws(RegistryError) -> [(PackageName, URL)] {
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw .invalidSeed(path: directory.path, reason: "the seed folder does not exist")
        }
        var found: [(PackageName, URL)] = []
        for entry in subfolders(of: directory) {
            let folder = directory.appendingPathComponent(entry, isDirectory: true)
            let names = entry.hasPrefix("@") ? subfolders(of: folder).map { "\(entry)/\($0)" } : [entry]
            for name in names {
                found.append((try PackageName(name), directory.appendingPathComponent(name, isDirectory: true)))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    private func subfolders(of url: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return entries.filter { entry in
            var isDirectory: ObjCBool = false
            return !entry.hasPrefix(".") && FileManager.default.fileExists(atPath: url.appendingPathComponent(entry).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    private func readManifest(_ source: URL, name: PackageName, version: String) throws(RegistryError) -> [String: JSONValue] {
        let file = source.appendingPathComponent("package.json")
        guard let data = try AtomicFile.read(file, limit: 1 << 20),
              let manifest = (try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth))?.objectValue
        else { throw .invalidSeed(path: file.path, reason: "expected a package.json holding a JSON object") }
        guard manifest["name"]?.stringValue == name.description, manifest["version"]?.stringValue == version else {
            throw .invalidSeed(path: file.path, reason: "expected name \(name) and version \(version) to match the folder, found "
                + "\(manifest["name"]?.stringValue ?? "no name") \(manifest["version"]?.stringValue ?? "no version")")
        }
        return manifest
    }

    private func readDistTags(_ file: URL) throws(RegistryError) -> [String: String] {
        guard let data = try AtomicFile.read(file, limit: 1 << 16) else { return [:] }
        guard let tags = (try? JSONValue.parse(data))?.objectValue, tags.values.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalidSeed(path: file.path, reason: "expected a JSON object mapping tags to version strings")
        }
        return tags.compactMapValues(\.stringValue)
    }

    private func readReadme(_ source: URL) -> (file: String, text: String)? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? []
        guard let file = names.sorted().first(where: { $0.lowercased().hasPrefix("readme") }),
              let data = try? AtomicFile.read(source.appendingPathComponent(file), limit: 1 << 20),
              let text = String(data: data, encoding: .utf8)
        else { return nil }
        return (file, text)
    }
}
