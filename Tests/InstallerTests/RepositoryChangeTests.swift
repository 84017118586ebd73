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
import FixtureTesting
import RegistryClient

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
            #expect(error?.exitCode == 1, "\(String(describing: error))")
            #expect(error?.message.contains("the source repository changed") == true)

            // Found by review: a registry that drops the locked version's attestations, or the
            // version itself, must not make the refusal go away.
            let stripped: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                url.hasSuffix("/@mochi%2fruntime") ? (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["attestations"] = nil }) : (status, body)
            }
            let dropped: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                guard url.hasSuffix("/@mochi%2fruntime"), case .object(var root)? = try? JSONValue.parse(body),
                      case .object(var versions)? = root["versions"] else { return (status, body) }
                versions["1.2.0"] = nil
                root["versions"] = .object(versions)
                return (status, (try? JSONValue.object(root).serialized()) ?? body)
            }
            // And one that keeps 1.2.0's attestations but drops its SLSA provenance from the response.
            let slsaDropped: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                if url.hasSuffix("/@mochi%2fruntime") {
                    return (status, TamperingTransport.editDist(body, version: "1.2.0") { dist in
                        if case .object(var attestations)? = dist["attestations"] { attestations["provenance"] = nil; dist["attestations"] = .object(attestations) }
                    })
                }
                guard url.contains("/attestations/@mochi%2fruntime@1.2.0") || url.contains("/attestations/@mochi/runtime@1.2.0"),
                      case .object(var root)? = try? JSONValue.parse(body), case .array(let entries)? = root["attestations"] else { return (status, body) }
                root["attestations"] = .array(entries.filter { $0["predicateType"]?.stringValue?.contains("slsa.dev") != true })
                return (status, (try? JSONValue.object(root).serialized()) ?? body)
            }
            // And one that lists 1.2.0 with other bytes than the lockfile locked (1.3.0's, whose
            // attestations name the other repository): the locked version's builder is read from
            // attestations over the locked bytes only.
            let relabelled: @Sendable (String, Int, Data) -> (Int, Data) = { url, status, body in
                guard url.hasSuffix("/@mochi%2fruntime"), case .object(let root)? = try? JSONValue.parse(body),
                      let newer = root["versions"]?["1.3.0"]?["dist"]?["integrity"] else { return (status, body) }
                return (status, TamperingTransport.editDist(body, version: "1.2.0") { $0["integrity"] = newer })
            }
            for (rewrite, reason) in [(stripped, "shows no provenance now"), (dropped, "is no longer listed by the registry"),
                                      (slsaDropped, "shows no provenance that names its source repository now"),
                                      (relabelled, "than package-lock.json locked")] {
                try Self.restoreLock(project, from: locked)
                try? FileManager.default.removeItem(at: project.cache)  // the cached responses are the genuine ones
                let refused = await #expect(throws: InstallError.self) {
                    try await Self.install(world, project, settings: try mirror.settings(world), rewrite: rewrite)
                }
                #expect(refused?.message.contains(reason) == true, "\(String(describing: refused))")
            }
        }
    }

    /// Found by review: only the repository's URL was compared, so a repository deleted and made
    /// again under the same name (another repository id) passed as unchanged.
    @Test func theSameRepositoryNameWithAnotherRepositoryIDIsAChange() async throws {
        try await HostileMirrorTests.withWorld { world in
            let project = try TestProject(copying: "basic")
            defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
            let mirror = HostileMirrorTests()
            let locked = try await Self.install(world, project, settings: try mirror.settings(world, require: false))
            let manifest: [String: JSONValue] = ["name": "@mochi/runtime", "version": "1.3.0", "license": "MIT",
                                                 "repository": ["type": "git", "url": "git+https://github.com/mochi-lang/mochi.git"]]
            let tarball = try TarballPacker.pack(files: [PackFile(path: "package.json", contents: try JSONValue.object(manifest).serialized())])
            var job = WorldPublisher.job(forVersion: "1.3.0")
            job.repositoryID = "99"
            try await InProcessTrustedPublisher(world: world.sigstore, storage: world.registry.storage, registryURL: world.registryURL,
                                                user: "mochi-publisher")
                .publish(name: "@mochi/runtime", version: "1.3.0", manifest: manifest, tarball: tarball, tag: "latest", job: job)

            let warned = try await Self.install(world, project, settings: try mirror.settings(world, require: false))
            #expect(warned.packages.contains { $0.name == "@mochi/runtime" && $0.version == "1.3.0" })
            #expect(warned.warnings.contains { $0.contains("was built from https://github.com/mochi-lang/mochi (repository id 99, owner id 1342004), but the locked version 1.2.0 was built from https://github.com/mochi-lang/mochi (repository id 1296269, owner id 1342004): the source repository changed") },
                    "\(warned.warnings)")
            try Self.restoreLock(project, from: locked)
            let error = await #expect(throws: InstallError.self) {
                try await Self.install(world, project, settings: try mirror.settings(world))
            }
            #expect(error?.message.contains("the source repository changed") == true, "\(String(describing: error))")
        }
    }

    /// Installs through a mirror that applies `rewrite` to every response.
    static func install(_ world: FixtureWorld, _ project: TestProject, settings: ProvenanceSettings,
                        rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data)) async throws -> InstallReport {
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL), transport: TamperingTransport(inner: curl, rewrite: rewrite))
        return try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings).install(prefix: project.directory, specs: [])
    }

    static func install(_ world: FixtureWorld, _ project: TestProject, settings: ProvenanceSettings) async throws -> InstallReport {
        let (installer, transport) = try project.installer(worldRegistry: world.registryURL, settings: settings)
        defer { transport.shutdown() }
        return try await installer.install(prefix: project.directory, specs: [])
    }

    /// Puts back a lockfile that locks @mochi/runtime at 1.2.0, with its integrity (the warned
    /// install rewrote it).
    static func restoreLock(_ project: TestProject, from report: InstallReport) throws {
        let file = project.directory.appendingPathComponent("package-lock.json")
        var lock = try Lockfile(data: try Data(contentsOf: file), file: file.path)
        let runtime = try #require(report.packages.first { $0.name == "@mochi/runtime" })
        lock.packages["node_modules/@mochi/runtime"]?.version = runtime.version
        lock.packages["node_modules/@mochi/runtime"]?.integrity = runtime.integrity
        try lock.serialized().write(to: file)
    }
}
