import Foundation
import RegistryClient
import FixtureTesting
import CurlTransport
@testable import Installer
import NpmModel
import Testing
import FixtureFaults
import SafeJSON

/// verify-install against a live fixture registry on 127.0.0.1: what gets placed where.
@Suite struct InstallEndToEndTests {
    @Test func installsBasicConsumerFixtureFromSeededRegistry() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let report = try await project.install(registry)
            #expect(project.installedVersion("node_modules/@mochi/example") == "1.1.0")
            #expect(project.installedVersion("node_modules/@mochi/runtime") != nil)
            #expect(report.verified.integrity == report.packages.count)
            let lock = try project.lockfile()
            #expect(lock.packages["node_modules/@mochi/example"]?.integrity?.hasPrefix("sha512-") == true)
            #expect(lock.packages[""]?.dependencies == ["@mochi/example": "^1.0.0"])
        }
    }

    @Test func installsTransitiveDependenciesFlat() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("a", "1.0.0", dependencies: ["b": "^1.0.0"])
            try registry.publish("b", "1.2.0", dependencies: ["c": "~2.1.0"])
            try registry.publish("c", "2.1.5")
            try registry.publish("c", "2.2.0")
            let project = try TestProject(packageJSON: #"{"name":"t","version":"1.0.0","dependencies":{"a":"^1"}}"#)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/a") == "1.0.0")
            #expect(project.installedVersion("node_modules/b") == "1.2.0")
            #expect(project.installedVersion("node_modules/c") == "2.1.5")
            #expect(Set(try project.lockfile().packages.keys) == ["", "node_modules/a", "node_modules/b", "node_modules/c"])
        }
    }

    @Test func nestsOnlyWhereVersionsConflict() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("shared", "1.0.0")
            try registry.publish("shared", "2.0.0")
            try registry.publish("old-user", "1.0.0", dependencies: ["shared": "^1.0.0"])
            try registry.publish("new-user", "1.0.0", dependencies: ["shared": "^2.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"t","dependencies":{"shared":"^1.0.0","old-user":"1","new-user":"1"}}"#)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/shared") == "1.0.0")
            #expect(project.installedVersion("node_modules/new-user/node_modules/shared") == "2.0.0")
            #expect(project.installedVersion("node_modules/old-user/node_modules/shared") == nil)
        }
    }

    @Test func hoistingNeverShadowsAnAlreadyResolvedDependency() async throws {
        try await TestRegistry.with { registry in
            // root -> x@1, p ; p -> q, x@2 (nested under p) ; q -> x@^2 must find p's x, and
            // r (nested under p because of its own conflict) keeps loading what it resolved.
            try registry.publish("x", "1.0.0")
            try registry.publish("x", "2.0.0")
            try registry.publish("p", "1.0.0", dependencies: ["x": "^2.0.0", "q": "1"])
            try registry.publish("q", "1.0.0", dependencies: ["x": "^2.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"t","dependencies":{"x":"^1.0.0","p":"1"}}"#)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/x") == "1.0.0")
            #expect(project.installedVersion("node_modules/p/node_modules/x") == "2.0.0")
            #expect(project.installedVersion("node_modules/q") == "1.0.0")
            #expect(project.installedVersion("node_modules/q/node_modules/x") == "2.0.0")
        }
    }

    /// Found by review: one manifest naming 100,000 dependencies made 100,000 packument requests
    /// before the first 404 ended the run. More names than a tree may hold are refused unfetched.
    @Test func aManifestNamingMorePackagesThanATreeMayHoldIsRefusedBeforeFetchingThem() async throws {
        try await TestRegistry.with { registry in
            let names = (0...Resolver.maxNodes).map { "d\($0)" }
            try registry.publish("wide", "1.0.0", dependencies: Dictionary(uniqueKeysWithValues: names.map { ($0, "1.0.0") }))
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "wide@1.0.0") }
            #expect(error?.message.contains("more than \(Resolver.maxNodes) packages") == true, "\(String(describing: error))")
        }
    }

    @Test func cyclesInstallEachPackageOnce() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("ping", "1.0.0", dependencies: ["pong": "^1.0.0"])
            try registry.publish("pong", "1.0.0", dependencies: ["ping": "^1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"t","dependencies":{"ping":"^1.0.0"}}"#)
            let report = try await project.install(registry)
            #expect(report.packages.map(\.path) == ["node_modules/ping", "node_modules/pong"])
        }
    }

    @Test func specOnCommandLineIsSavedToPackageJSONWithCaret() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject()
            try await project.install(registry, "@mochi/example")
            let json = try JSONValue.parse(try Data(contentsOf: project.directory.appendingPathComponent("package.json")))
            #expect(json["dependencies"]?["@mochi/example"]?.stringValue == "^1.1.0")
        }
    }

    /// As npm 10 writes them (checked with npm 10.8.2, found by review): an exact version is saved
    /// with npm's save-prefix, and a package.json made by the install names nothing (a folder
    /// called "My App" is no package name), nor does the lockfile's root entry.
    @Test func anExactVersionIsSavedWithCaretAndANewPackageJSONHasNoName() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject()
            try await project.install(registry, "@mochi/example@1.1.0")
            let json = try JSONValue.parse(try Data(contentsOf: project.directory.appendingPathComponent("package.json")))
            #expect(json == ["dependencies": ["@mochi/example": "^1.1.0"]])
            let lock = try project.lockfile()
            #expect(lock.name == project.directory.lastPathComponent)
            #expect(lock.packages[""]?.name == nil)
        }
    }

    @Test func distTagSpecPicksThatTag() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject()
            try await project.install(registry, "@mochi/example@next")
            #expect(project.installedVersion("node_modules/@mochi/example") == "2.0.0-beta.1")
        }
    }

    @Test func failedOptionalDependencyIsReportedNotFatal() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("host", "1.0.0", extra: ["optionalDependencies": ["missing-native": "^1.0.0"]])
            let project = try TestProject(packageJSON: #"{"name":"t","dependencies":{"host":"1"}}"#)
            let report = try await project.install(registry)
            #expect(report.packages.map(\.name) == ["host"])
            #expect(report.warnings.contains { $0.contains("missing-native") })
        }
    }

    @Test func dependencysDevDependenciesAreIgnoredButPeersInstalled() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("plugin", "1.0.0", extra: ["devDependencies": ["never-published": "1"], "peerDependencies": ["core": "^3.0.0"]])
            try registry.publish("core", "3.1.0")
            let project = try TestProject(packageJSON: #"{"name":"t","dependencies":{"plugin":"1"}}"#)
            try await project.install(registry)
            #expect(project.installedVersion("node_modules/core") == "3.1.0")
            #expect(try project.lockfile().packages["node_modules/core"]?.peer == true)
        }
    }
}

/// Registries under a path prefix, and the content-addressed cache.
@Suite struct RegistryAndCacheTests {
    @Test func installsFromRegistryUnderPathPrefix() async throws {
        try await TestRegistry.with(seeded: true, pathPrefix: "/npm/") { registry in
            #expect(registry.url.hasSuffix("/npm/"))
            let project = try TestProject(copying: "basic")
            let report = try await project.install(registry)
            #expect(report.packages.allSatisfy { $0.resolved.contains("/npm/@mochi/") })
            #expect(project.installedVersion("node_modules/@mochi/example") == "1.1.0")
        }
    }

    @Test func corruptedCacheEntryIsDiscardedAndFetchedAgain() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let entries = FileManager.default.enumerator(atPath: project.cache.path)!.compactMap { $0 as? String }
                .filter { !$0.hasSuffix("/") && $0.split(separator: "/").count == 4 }
            #expect(entries.count == 2)
            for entry in entries { try Data("tampered".utf8).write(to: project.cache.appendingPathComponent(entry)) }
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let report = try await project.install(registry)
            #expect(report.packages.allSatisfy { $0.fromCache == false })
            #expect(report.warnings.filter { $0.contains("no longer matches sha512-") && $0.contains(project.cache.path) }.count == 2, "\(report.warnings)")
            #expect(project.installedVersion("node_modules/@mochi/runtime") == "1.2.0")
        }
    }

    @Test func repeatInstallIsServedFromReverifiedCache() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let again = try await project.install(registry)
            #expect(again.packages.allSatisfy { $0.fromCache == true })
            #expect(registry.faults.tarballRequests("@mochi/example", version: "1.1.0") == 1)
        }
    }

    /// Found by review: a `dist.tarball` on a git host went into the lockfile's `resolved`, and
    /// `npm ci` cloned the repository, unchecked, instead of fetching the tarball we verified; then
    /// by a re-attack, spellings without `http://` that libcurl fetched (`NpmSourceTests`).
    @Test func aTarballURLNpmReadsAsAGitRepositoryIsRefusedByInstallAndCi() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            let onGitHub = TamperingTransport(inner: curl) { url, status, body in
                url.hasSuffix("/@mochi%2fexample")
                    ? (status, TamperingTransport.editDist(body, version: "1.1.0") { $0["tarball"] = "http:/github.com/evil/repo/tree/v1.1.0" })
                    : (status, body)
            }
            let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: onGitHub)
            let error = await #expect(throws: InstallError.self) {
                try await Installer(client: client, cache: ContentCache(root: project.cache)).install(prefix: project.directory, specs: [])
            }
            #expect(error?.message.contains("npm does not read it as a tarball URL (it is not an absolute http:// or https:// URL)") == true, "\(String(describing: error))")

            try await project.install(registry)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            let text = try String(contentsOf: lockURL, encoding: .utf8)
            let resolved = try #require(try Lockfile(data: Data(text.utf8), file: lockURL.path).packages["node_modules/@mochi/example"]?.resolved)
            for spelling in ["https://www.github.com/evil/repo/tree/v1.1.0", "x@0x7f000001/repo"] {
                try Data(text.replacingOccurrences(of: resolved, with: spelling).utf8).write(to: lockURL)
                let refused = await #expect(throws: InstallError.self) { try await project.ci(registry) }
                #expect(refused?.message.contains("which npm does not read as a tarball URL") == true, "\(String(describing: refused))")
            }
        }
    }

    @Test func ciRefusesLockfilePathOutsideNodeModules() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            let text = try String(contentsOf: lockURL, encoding: .utf8)
                .replacingOccurrences(of: "\"node_modules/@mochi/runtime\"", with: "\"node_modules/../../escape/@mochi/runtime\"")
            try Data(text.utf8).write(to: lockURL)
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 2)
            #expect(!FileManager.default.fileExists(atPath: project.directory.deletingLastPathComponent().appendingPathComponent("escape").path))
        }
    }
}
