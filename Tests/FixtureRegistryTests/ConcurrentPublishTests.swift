import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry

/// Publishes to one package are serialised (none lost, a duplicate wins once); packages publish in parallel.
@Suite("Concurrent publishes")
struct ConcurrentPublishTests {
    @Test func concurrentPublishesLoseNothing() async throws {
        try await withScratch { folder in
            let storage = try RegistryStorage(directory: folder, config: testConfig)
            let alice = AuthenticatedUser(name: "alice")
            var bodies: [[String: JSONValue]] = []
            for minor in 0..<10 {
                let (manifest, tarball) = try makePackage("shared", "1.\(minor).0")
                bodies.append(try NpmPublishBody.make(manifest: manifest.objectValue ?? [:], tarball: tarball, tags: ["latest"]))
                let (other, otherTarball) = try makePackage("solo-\(minor)", "1.0.0")
                bodies.append(try NpmPublishBody.make(manifest: other.objectValue ?? [:], tarball: otherTarball, tags: ["latest"]))
            }
            let (dupManifest, dupTarball) = try makePackage("contested", "1.0.0")
            let duplicate = try NpmPublishBody.make(manifest: dupManifest.objectValue ?? [:], tarball: dupTarball, tags: ["latest"])
            bodies += Array(repeating: duplicate, count: 8)

            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for body in bodies {
                    group.addTask { (try? storage.publish(body: body, by: alice)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 21, "20 distinct versions and one of the 8 duplicates")

            let reopened = try RegistryStorage(directory: folder, config: testConfig)
            let shared = try #require(try reopened.packument(for: PackageName("shared")))
            #expect(Set(shared.versions.keys) == Set((0..<10).map { "1.\($0).0" }))
            for minor in 0..<10 {
                #expect(try reopened.tarball(for: PackageName("shared"), version: "1.\(minor).0") != nil)
                #expect(reopened.hasVersion(try PackageName("solo-\(minor)"), "1.0.0"))
            }
            #expect(try reopened.packument(for: PackageName("contested"))?.versions.count == 1)
        }
    }
}
