import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry

@Suite("Seed packages load with their versions and dist-tags")
struct SeedLoaderTests {
    @Test func seedsLoadWithTheRightVersionsAndTags() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder)
            let loaded = try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let names = loaded.map(\.name.description)
            #expect(names == names.sorted() && Set(["@mochi/example", "@mochi/runtime"]).isSubset(of: names),
                    "seeds load in name order, the two original ones among them: \(names)")

            let example = try #require(try storage.packument(for: PackageName("@mochi/example")))
            #expect(Set(example.versions.keys) == ["1.0.0", "1.1.0", "2.0.0-beta.1"])
            #expect(example.distTags == ["latest": "1.1.0", "next": "2.0.0-beta.1"])
            #expect(example.versions["1.0.0"]?[path: "dependencies", "@mochi/runtime"] == "^1.0.0")
            #expect(example.versions["2.0.0-beta.1"]?[path: "dependencies", "@mochi/runtime"] == "^1.2.0")
            #expect(example.json["repository"]?["url"] == "git+https://github.com/mochi-lang/mochi.git")
            #expect(example.json["readme"]?.stringValue?.hasPrefix("# @mochi/example") == true)

            let runtime = try #require(try storage.packument(for: PackageName("@mochi/runtime")))
            #expect(Set(runtime.versions.keys) == ["1.0.0", "1.2.0"])
            #expect(runtime.distTags == ["latest": "1.2.0"])
        }
    }

    @Test func seedManifestsAreRealLibraries() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder)
            try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let latest = try #require(try storage.packument(for: PackageName("@mochi/example"))?.versions["1.1.0"])
            for field in ["main", "types", "exports", "repository", "license"] { #expect(latest[field] != nil, "missing \(field)") }
            #expect(latest[path: "dist", "fileCount"] == 5)
        }
    }

    @Test func loadingTwiceKeepsTheFirstPublish() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder)
            try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let before = try storage.packument(for: PackageName("@mochi/example"))
            try SeedLoader(directory: Repository.seedPackages).load(into: RegistryStorage(directory: folder))
            #expect(try RegistryStorage(directory: folder).packument(for: PackageName("@mochi/example")) == before)
        }
    }

    /// Found by review: a restart on kept storage put `latest` back to the seed's version.
    @Test func loadingAgainKeepsTagsTheRegistryMovedSince() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder)
            try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let name = try PackageName("@mochi/example")
            let versions = try #require(try storage.packument(for: name)).versions.keys.sorted()
            let latest = try #require(try storage.packument(for: name)?.distTags["latest"])
            let other = try #require(versions.first { $0 != latest })
            try storage.setDistTag("latest", of: name, to: other)
            try SeedLoader(directory: Repository.seedPackages).load(into: RegistryStorage(directory: folder))
            #expect(try RegistryStorage(directory: folder).packument(for: name)?.distTags["latest"] == other)
        }
    }

    /// Found by a re-attack: after a seed version was unpublished, a restart tried to publish it again and failed.
    @Test func loadingAgainLeavesAnUnpublishedVersionUnpublished() async throws {
        try withScratch { folder in
            let storage = try RegistryStorage(directory: folder)
            try SeedLoader(directory: Repository.seedPackages).load(into: storage)
            let name = try PackageName("@mochi/example")
            var edit = try #require(try storage.packument(for: name)).json
            var versions = try #require(edit["versions"]?.objectValue)
            versions["1.0.0"] = nil
            edit["versions"] = .object(versions)
            #expect(try storage.applyEdit(edit, to: name) == ["1.0.0"])
            try SeedLoader(directory: Repository.seedPackages).load(into: RegistryStorage(directory: folder))
            #expect(try !RegistryStorage(directory: folder).hasVersion(name, "1.0.0"))
        }
    }

    @Test func packingIsDeterministic() async throws {
        try withScratch { folder in
            let first = try RegistryStorage(directory: folder.appendingPathComponent("a"))
            let second = try RegistryStorage(directory: folder.appendingPathComponent("b"))
            try SeedLoader(directory: Repository.seedPackages).load(into: first)
            try SeedLoader(directory: Repository.seedPackages).load(into: second)
            let name = try PackageName("@mochi/runtime")
            #expect(try first.tarball(for: name, version: "1.2.0") == second.tarball(for: name, version: "1.2.0"))
        }
    }

    @Test func aManifestThatDisagreesWithItsFolderIsRefused() async throws {
        try withScratch { folder in
            let version = folder.appendingPathComponent("seeds/widget/1.0.0")
            try FileManager.default.createDirectory(at: version, withIntermediateDirectories: true)
            try Data(#"{"name":"widget","version":"9.9.9"}"#.utf8).write(to: version.appendingPathComponent("package.json"))
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"))
            let error = #expect(throws: RegistryError.self) {
                try SeedLoader(directory: folder.appendingPathComponent("seeds")).load(into: storage)
            }
            #expect(error?.description.contains("9.9.9") == true)
        }
    }
}
