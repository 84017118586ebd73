public import FixtureRegistry
public import Foundation
import NpmModel
import SafeJSON

/// Seeds the registry the way the packages were really released: every version of a package
/// with a trusted publisher (`Registry/config.json`) goes through the emitted workflow's job
/// (trusted publishing with provenance), except the versions its `publish.json` lists under
/// `withoutProvenance`, which are published with a plain token like the other packages.
public struct WorldSeeder: Sendable {
    let loader: SeedLoader
    let storage: RegistryStorage
    let publisher: WorldPublisher
    /// Packages left out (a publish job is about to publish them itself).
    let excluded: Set<String>
    /// Where each publish job's project is built: the world's own folder, which a SIGINT or
    /// SIGTERM removes with the world (found by review: Ctrl-C while seeding left it in /tmp).
    let scratchFolder: URL

    public init(loader: SeedLoader, storage: RegistryStorage, publisher: WorldPublisher, excluding excluded: Set<String> = [],
                scratchFolder: URL = FileManager.default.temporaryDirectory) {
        self.loader = loader
        self.storage = storage
        self.publisher = publisher
        self.excluded = excluded
        self.scratchFolder = scratchFolder
    }

    /// Publishes every seed version the storage does not hold yet, then sets the dist-tags.
    public func seed() async throws {
        let trusted = storage.tokens.configuration.trustedPublishers
        let excluded = excluded
        // Only what this start seeds gets the seed's tags: kept storage keeps the tags it has moved to.
        let unseeded = Set(try loader.packages().filter { entry in entry.package.versions.contains { !storage.wasPublished(entry.name, $0) } }.map(\.name))
        try loader.load(into: storage, including: { name, _ in trusted[name.description] == nil && !excluded.contains(name.description) },
                        setTags: false)
        for (name, folder, package) in try loader.packages() where trusted[name.description] != nil && !excluded.contains(name.description) {
            let plain = try Self.versionsWithoutProvenance(in: folder)
            for version in package.versions where !storage.wasPublished(name, version) {
                if plain.contains(version) {
                    try loader.load(into: storage, including: { $0 == name && $1 == version }, setTags: false)
                    continue
                }
                let tag = package.distTags.filter { $0.value == version }.map(\.key).sorted().first ?? "latest"
                try await publish(folder.appendingPathComponent(version, isDirectory: true), version: version, tag: tag)
            }
        }
        try loader.load(into: storage, including: { _, _ in false }, setTags: true, tagging: { unseeded.contains($0) })
    }

    /// Builds and publishes one version as the tag push `v<version>` of the Mochi workflow.
    private func publish(_ source: URL, version: String, tag: String) async throws {
        let project = scratchFolder.appendingPathComponent("mochi-seed-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: project) }
        _ = try await publisher.publish(packageDirectory: source, project: project,
                                        job: WorldPublisher.job(forVersion: version), tag: tag)
    }

    /// `withoutProvenance` of the package folder's `publish.json`, if there is one.
    static func versionsWithoutProvenance(in folder: URL) throws -> Set<String> {
        let file = folder.appendingPathComponent("publish.json")
        guard let data = try? Data(contentsOf: file) else { return [] }
        let document = try JSONValue.parse(data)
        guard let list = document["withoutProvenance"]?.arrayValue else { return [] }
        return Set(list.compactMap(\.stringValue))
    }
}
