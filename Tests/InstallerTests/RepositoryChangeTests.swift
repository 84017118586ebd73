import FixtureSigstore
import Foundation
import Harness
import Installer
import NpmModel
import SafeJSON
import Tarball
import Testing
import CurlTransport
import FixtureRegistry

/// A new version built from another source repository than the version the project had locked:
/// a warning, and an error where provenance is required.
@Suite struct RepositoryChangeTests {
    @Test func aChangedSourceRepositoryIsAWarningAndAnErrorUnderRequireProvenance() async throws {
        try await HostileMirrorTests.withWorld { world in
            let project = try TestProject(copying: "basic")
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            let mirror = HostileMirrorTests()
            let locked = try await Self.install(world, project, settings: try mirror.settings(world, require: false))
            #expect(locked.packages.contains { $0.name == "@mochi/runtime" && $0.version == "1.2.0" })

            // @mochi/runtime 1.3.0, built (with valid provenance) from another repository.
            let manifest: [String: JSONValue] = ["name": "@mochi/runtime", "version": "1.3.0", "license": "MIT",
                                                 "repository": ["type": "git", "url": "git+https://github.com/someone/else.git"]]
            let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
            try await InProcessTrustedPublisher(world: world.sigstore, storage: world.registry.storage, registryURL: world.registryURL,
                                                user: "mochi-publisher")
                .publish(name: "@mochi/runtime", version: "1.3.0", manifest: manifest, tarball: tarball, tag: "latest",
                         job: WorldPublisher.job(forVersion: "1.3.0", repository: "someone/else"))

            let warned = try await Self.install(world, project, settings: try mirror.settings(world, require: false))
            #expect(warned.packages.contains { $0.name == "@mochi/runtime" && $0.version == "1.3.0" })
            #expect(warned.warnings.contains { $0.contains("@mochi/runtime@1.3.0 was built from https://github.com/someone/else, but the locked version 1.2.0 was built from https://github.com/mochi-lang/mochi") },
                    "\(warned.warnings)")

            try Self.restoreLock(project, from: locked)
            let error = await #expect(throws: InstallError.self) {
                try await Self.install(world, project, settings: try mirror.settings(world))
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("the source repository changed") == true)
        }
    }

    static func install(_ world: FixtureWorld, _ project: TestProject, settings: ProvenanceSettings) async throws -> InstallReport {
        let (installer, transport) = try project.installer(worldRegistry: world.registryURL, settings: settings)
        defer { transport.shutdown() }
        return try await installer.install(prefix: project.directory, specs: [])
    }

    /// Puts back a lockfile that locks @mochi/runtime at 1.2.0 (the warned install rewrote it).
    static func restoreLock(_ project: TestProject, from report: InstallReport) throws {
        let file = project.directory.appendingPathComponent("package-lock.json")
        var lock = try Lockfile(data: try Data(contentsOf: file), file: file.path)
        lock.packages["node_modules/@mochi/runtime"]?.version = "1.2.0"
        try lock.serialized().write(to: file)
    }
}
