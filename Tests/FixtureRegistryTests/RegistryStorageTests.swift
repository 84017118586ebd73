import Crypto
import FixtureTesting
import Foundation
import SafeJSON
import Synchronization
import Testing
@testable import FixtureRegistry

@Suite("Storage fills dist the way the registry does and survives a restart")
struct RegistryStorageTests {
    @Test func addVersionFillsDistAndIdentity() async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, tarball) = try makePackage("@demo/widget", "1.0.0", dependencies: ["@demo/base": "^1.0.0"])
            let stored = try storage.addVersion(manifest: manifest, tarball: tarball, tags: ["latest"])

            #expect(stored["_id"] == "@demo/widget@1.0.0")
            #expect(stored[path: "dist", "integrity"]?.stringValue == "sha512-" + Data(SHA512.hash(data: tarball)).base64EncodedString())
            #expect(stored[path: "dist", "shasum"]?.stringValue == Insecure.SHA1.hash(data: tarball).map { String(format: "%02x", $0) }.joined())
            #expect(stored[path: "dist", "fileCount"] == 2)
            #expect(stored[path: "dist", "unpackedSize"]?.numberValue == Double(try manifest.serialized(pretty: true).count
                + Data("module.exports = \"@demo/widget@1.0.0\";\n".utf8).count))
            #expect(stored[path: "dist", "tarball"] == "@demo/widget/-/widget-1.0.0.tgz")
            #expect(stored[path: "dependencies", "@demo/base"] == "^1.0.0")
            #expect(try storage.tarball(for: PackageName("@demo/widget"), version: "1.0.0") == tarball)
        }
    }

    @Test func tagsTimeAndLatestFields() async throws {
        let clock = Date(timeIntervalSince1970: 1_700_000_000)
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder, clock: { clock })
            for (version, tags) in [("1.0.0", [String]()), ("1.1.0", ["latest"]), ("2.0.0-rc.1", ["next"])] {
                let (manifest, tarball) = try makePackage("widget", version, extra: ["description": .string("v\(version)")])
                try storage.addVersion(manifest: manifest, tarball: tarball, tags: tags)
            }
            let document = try #require(try storage.packument(for: PackageName("widget")))
            #expect(document.distTags == ["latest": "1.1.0", "next": "2.0.0-rc.1"])
            #expect(document.time["created"] == "2023-11-14T22:13:20.000Z")
            #expect(document.time["2.0.0-rc.1"] == "2023-11-14T22:13:20.000Z")
            #expect(document.json["description"] == "v1.1.0")
            #expect(Set(document.versions.keys) == ["1.0.0", "1.1.0", "2.0.0-rc.1"])

            try storage.setDistTag("latest", of: PackageName("widget"), to: "1.0.0")
            let retagged = try #require(try storage.packument(for: PackageName("widget")))
            #expect(retagged.distTags["latest"] == "1.0.0")
            #expect(retagged.json["description"] == "v1.0.0", "top-level fields follow latest")
            #expect(retagged.json["_rev"] != document.json["_rev"])
            #expect(throws: RegistryError.versionNotFound(package: "widget", version: "3.0.0")) {
                try storage.setDistTag("latest", of: PackageName("widget"), to: "3.0.0")
            }
        }
    }

    /// A token `fixture-registry token` writes to disk while a registry serves the same storage
    /// survives the registry's next write (it rewrote the file from memory, dropping it).
    @Test func aTokenMintedOnDiskSurvivesTheRunningRegistrysNextWrite() throws {
        try withScratch { folder in
            let running = try RegistryStorage(directory: folder)
            let cli = try RegistryStorage(directory: folder).tokens.mint(user: "cli")
            _ = try running.tokens.mint(user: "served")
            #expect(running.tokens.authenticate(cli)?.name == "cli")
            #expect(try RegistryStorage(directory: folder).tokens.authenticate(cli)?.name == "cli", "still on disk")
        }
    }

    @Test func publishingOverAVersionIsRefused() async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            try storage.addVersion(manifest: manifest, tarball: tarball, tags: [])
            #expect(throws: RegistryError.versionExists(package: "widget", version: "1.0.0")) {
                try storage.addVersion(manifest: manifest, tarball: tarball, tags: [])
            }
        }
    }

    /// Found by review: names npm refuses for a new package were taken, among them `@Mochi/example`,
    /// a new package outside the `@mochi` scope's publisher list.
    @Test(arguments: ["UpperCase", "a~b", "~lead", "fs", "crypto", "@Mochi/example", "it's"])
    func aNameNpmRefusesForANewPackageIsRefused(_ name: String) async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, tarball) = try makePackage(name, "1.0.0")
            let error = #expect(throws: RegistryError.self, "\(name)") { try storage.addVersion(manifest: manifest, tarball: tarball, tags: []) }
            guard case .invalidPackageName? = error else {
                Issue.record("\(name): \(String(describing: error))")
                return
            }
        }
    }

    @Test func aScopesPublishersAreFoundWhateverTheScopesCase() throws {
        let config = try RegistryConfig.load(from: Repository.registryConfig)
        #expect(config.publishers(of: try PackageName("@Mochi/example")) == config.publishers(of: try PackageName("@mochi/example")))
        #expect(config.publishers(of: try PackageName("@mochi/example")) != nil)
    }

    /// Found by review: a publish killed mid-write left its temporary tarball for good.
    @Test func leftoversOfAKilledWriteGoWhenTheStorageIsOpened() async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            try storage.addVersion(manifest: manifest, tarball: tarball, tags: [])
            let tarballs = storage.tarballURL(try PackageName("widget"), version: "1.0.0").deletingLastPathComponent()
            let leftover = tarballs.appendingPathComponent(".widget-1.0.1.tgz.tmp-9f3a02bc"), kept = tarballs.appendingPathComponent("notes.tmp-zz")
            try Data("partial".utf8).write(to: leftover)
            try Data("kept".utf8).write(to: kept)
            _ = try makeStorage(in: folder, seeded: false)
            #expect(!FileManager.default.fileExists(atPath: leftover.path))
            #expect(FileManager.default.fileExists(atPath: kept.path))
            #expect(FileManager.default.fileExists(atPath: storage.tarballURL(try PackageName("widget"), version: "1.0.0").path))
        }
    }

    @Test func storageIsDurableAcrossInstances() async throws {
        try withScratch { folder in
            let (manifest, tarball) = try makePackage("widget", "1.0.0", extra: ["scripts": ["postinstall": "node setup.js"]])
            try RegistryStorage(directory: folder).addVersion(manifest: manifest, tarball: tarball, tags: ["beta"])

            let reopened = try RegistryStorage(directory: folder)
            let document = try #require(try reopened.packument(for: PackageName("widget")))
            #expect(document.distTags == ["beta": "1.0.0", "latest": "1.0.0"])
            #expect(document.versions["1.0.0"]?["hasInstallScript"] == true)
            #expect(reopened.packageNames() == [try PackageName("widget")])
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test(arguments: [
        (JSONValue.object(["version": "1.0.0"]), "no string \"name\""),
        (JSONValue.object(["name": "widget"]), "no string \"version\""),
        (JSONValue.object(["name": "../evil", "version": "1.0.0"]), "invalid package name"),
        (JSONValue.object(["name": "widget", "version": "../../1"]), "invalid version"),
    ])
    func malformedManifestsAreRefused(manifest: JSONValue, message: String) async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let error = #expect(throws: RegistryError.self) {
                try storage.addVersion(manifest: manifest, tarball: Data(), tags: [])
            }
            #expect(error?.description.contains(message) == true)
        }
    }

    @Test(arguments: ["1.0", "v2", "", "bad tag", String(repeating: "t", count: 200)])
    func invalidTagsAreRefused(tag: String) async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            #expect(throws: RegistryError.self) { try storage.addVersion(manifest: manifest, tarball: tarball, tags: [tag]) }
        }
    }

    @Test func garbageTarballIsRefused() async throws {
        try withScratch { folder in
            let storage = try makeStorage(in: folder, seeded: false)
            let (manifest, _) = try makePackage("widget", "1.0.0")
            #expect(throws: RegistryError.self) { try storage.addVersion(manifest: manifest, tarball: Data("not a tgz".utf8), tags: []) }
            #expect(try storage.packument(for: PackageName("widget")) == nil)
        }
    }

    /// A packument read from disk while the package is deleted must not be cached over the deletion
    /// (found by review: a read racing an unpublish kept the package served for good).
    @Test func aReadRacingADeletionDoesNotBringThePackageBack() async throws {
        try withScratch { folder in
            let (manifest, tarball) = try makePackage("widget", "1.0.0")
            _ = try makeStorage(in: folder, seeded: false).addVersion(manifest: manifest, tarball: tarball, tags: ["latest"])
            let restarted = try makeStorage(in: folder, seeded: false)  // nothing cached: the next read goes to disk
            let name = try PackageName("widget")
            restarted.afterColdRead.withLock { hook in
                hook = { [restarted] name in
                    restarted.afterColdRead.withLock { $0 = nil }
                    try? restarted.deletePackage(name)
                }
            }
            #expect(try restarted.packument(for: name) == nil, "the deletion landed during the read")
            #expect(try restarted.packument(for: name) == nil)
            #expect(try restarted.tarball(for: name, version: "1.0.0") == nil)
        }
    }
}
