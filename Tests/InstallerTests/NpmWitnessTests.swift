import FixtureRegistry
import FixtureTesting
import Foundation
@testable import Installer
import NpmModel
import SafeJSON
import Testing

/// The real npm CLI as an independent witness: same registry, same consumer fixture, same tree.
/// A missing npm skips with a reason unless REQUIRE_NPM=1 makes it a failure.
@Suite(.requires(.npm)) struct NpmWitnessTests {
    /// npm builds the same tree. Found by review: we wrote no hidden lockfile, so npm and our audit
    /// read our trees in their weaker mode; ours lists what npm's lists, and npm's arborist accepts
    /// it as current.
    @Test func npmInstallsTheSameTreeAsVerifyInstallAndReadsOurHiddenLockfile() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        let node = try #require(ProcessRunner.which("node"))
        try await TestRegistry.with(seeded: true) { registry in
            let ours = try TestProject(copying: "basic")
            try await ours.install(registry)
            let theirs = try TestProject(copying: "basic")
            let result = try await Self.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try Self.tuples(ours.lockfile()) == Self.tuples(theirs.lockfile()))
            #expect(try ours.lockfile().packages.count > 1)
            func hidden(_ project: TestProject) throws -> Lockfile {
                let file = project.directory.appendingPathComponent("node_modules/.package-lock.json")
                return try Lockfile(data: try Data(contentsOf: file), file: file.path)
            }
            #expect(try Self.tuples(hidden(ours)) == Self.tuples(hidden(theirs)))
            #expect(try hidden(ours).packages[""] == nil)
            // npm ignores a hidden lockfile older than any folder of the tree, node_modules included.
            func modified(_ path: String) throws -> Date {
                try #require(try FileManager.default.attributesOfItem(atPath: ours.directory.appendingPathComponent(path).path)[.modificationDate] as? Date)
            }
            #expect(try modified("node_modules/.package-lock.json") >= modified("node_modules"))
            let arborist = npm.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("node_modules/@npmcli/arborist").path
            let script = "new (require(process.argv[1]))({ path: process.cwd() }).loadActual().then(t => console.log(t.meta.hiddenLockfile && t.meta.loadedFromDisk))"
            let loaded = try await ProcessRunner.run(node, ["-e", script, arborist], in: ours.directory)
            #expect(loaded.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true", "\(loaded.stdout) \(loaded.stderr)")
        }
    }

    /// Found by review: an optional package for another platform was left out of our lockfile, and
    /// npm ci refused it as missing. npm ci now takes our lockfile and leaves the same package out.
    @Test func npmCiTakesOurLockfileWithAnOptionalPackageForAnotherPlatform() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try registry.publish("native", "1.0.0", extra: ["os": ["sunos"]])
            try registry.publish("app-dep", "1.0.0", extra: ["optionalDependencies": .object(["native": "1.0.0"])])
            try registry.publish("native-root", "1.0.0", extra: ["cpu": ["mips"]])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"app-dep":"1.0.0"},"optionalDependencies":{"native-root":"1.0.0"}}"#)
            try await project.install(registry)
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let result = try await Self.npm(npm, "ci", in: project, registry: registry)
            #expect(project.installedVersion("node_modules/native-root") == nil)
            #expect(result.status == 0, "npm ci refused our lockfile: \(result.stderr)")
            #expect(project.installedVersion("node_modules/app-dep") == "1.0.0")
            #expect(project.installedVersion("node_modules/native") == nil)
        }
    }

    /// On generated graphs where versions conflict (so placement order decides what is hoisted),
    /// npm and we build the same tree, node for node.
    @Test(arguments: [7, 42, 1234] as [UInt64])
    func npmBuildsTheSameTreeOnAConflictingGraph(seed: UInt64) async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            let (versions, roots) = try SyntheticRegistry(count: 120, seed: seed).versions()
            for version in versions {
                try registry.storage.addVersion(manifest: .object(version.manifest), tarball: version.tarball, tags: version.tags)
            }
            let packageJSON = try JSONValue.object(["name": "app", "version": "1.0.0", "dependencies": .object(roots.mapValues { .string($0) })])
                .serialized(pretty: true)
            let ours = try TestProject(packageJSON: String(decoding: packageJSON, as: UTF8.self))
            try await ours.install(registry)
            let theirs = try TestProject(packageJSON: String(decoding: packageJSON, as: UTF8.self))
            let result = try await Self.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            let (mine, npms) = (try Self.tuples(ours.lockfile()), try Self.tuples(theirs.lockfile()))
            #expect(mine.symmetricDifference(npms).isEmpty, "only ours: \(mine.subtracting(npms).sorted().prefix(5)); only npm's: \(npms.subtracting(mine).sorted().prefix(5))")
            #expect(mine.contains { $0.contains("/node_modules/@bench/") }, "the graph should force some nesting")
        }
    }

    /// Our names-and-paths order is the one npm sorts with (`Intl.Collator('en')`), on random strings
    /// of the characters package names and install paths hold, case and punctuation included.
    @Test func localeOrderMatchesNodesCollator() async throws {
        let node = try #require(ProcessRunner.which("node"))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // a fixed seed: the same strings every run
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array("abcxyzABCXYZ0189-._~@/")
        let strings = (0..<2000).map { _ in String((0..<(1 + next(6))).map { _ in alphabet[next(alphabet.count)] }) }
            + ["node_modules/a", "node_modules/a-b", "node_modules/a_b", "node_modules/@s/a", "node_modules/A", "node_modules/a/node_modules/b"]
        let input = String(decoding: try JSONValue.array(strings.map { .string($0) }).serialized(pretty: false), as: UTF8.self)
        let result = try await ProcessRunner.run(node, ["-e", "const c = new Intl.Collator('en'); console.log(JSON.stringify(JSON.parse(process.argv[1]).sort(c.compare)))", input])
        #expect(result.status == 0, "node failed: \(result.stderr)")
        let theirs = try JSONValue.parse(Data(result.stdout.utf8)).arrayValue?.compactMap(\.stringValue) ?? []
        let ours = strings.sorted(by: LocaleOrder.precedes)
        // Equal strings may come in either order; compare the sorted sequences themselves.
        #expect(ours == theirs, "first difference at \(zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }.map { "\($0.offset): \($0.element)" } ?? "the end")")
    }

    /// npm and we build the same tree under the same overrides.
    @Test(arguments: [#"{"vuln":"2.0.0"}"#, #"{"vuln":"$vuln"}"#])
    func npmAppliesOverridesAsWeDo(overrides: String) async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try OverridesTests.publish(registry)
            let dependencies = overrides.contains("$") ? #"{"lib":"1.0.0","vuln":"2.0.0"}"# : #"{"lib":"1.0.0"}"#
            let ours = try OverridesTests.project(dependencies, overrides: overrides)
            try await ours.install(registry)
            let theirs = try OverridesTests.project(dependencies, overrides: overrides)
            let result = try await Self.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try Self.tuples(ours.lockfile()) == Self.tuples(theirs.lockfile()))
            #expect(theirs.installedVersion("node_modules/vuln") == "2.0.0")
        }
    }

    /// npm refuses a required package built for another platform, as we do.
    @Test func npmRefusesARequiredPackageForAnotherPlatform() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try registry.publish("sunos-only", "1.0.0", extra: ["os": ["sunos"]])
            let theirs = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"sunos-only":"1.0.0"}}"#)
            let result = try await Self.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status != 0)
            #expect(result.stderr.contains("EBADPLATFORM"), "\(result.stderr)")
        }
    }

    /// npm ci and ours leave out the same optional packages built for another platform.
    @Test func npmCILeavesOutTheSameOptionalPackagesForAnotherPlatform() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            let ours = try await OptionalPlatformTests.lockedProject(registry, editing: ["os": ["sunos"], "optional": true],
                                                                    at: ["node_modules/native", "node_modules/native-helper"])
            let theirs = try TestProject()
            for file in ["package.json", "package-lock.json"] {
                try FileManager.default.copyItem(at: ours.directory.appendingPathComponent(file), to: theirs.directory.appendingPathComponent(file))
            }
            let report = try await ours.ci(registry)
            let result = try await Self.npm(npm, "ci", in: theirs, registry: registry)
            #expect(result.status == 0, "npm ci failed: \(result.stderr)")
            let installedByNpm = try FileManager.default.contentsOfDirectory(atPath: theirs.directory.appendingPathComponent("node_modules").path)
                .filter { !$0.hasPrefix(".") }.map { "node_modules/\($0)" }
            #expect(Set(installedByNpm) == Set(report.packages.map(\.path)))
            #expect(Set(installedByNpm) == ["node_modules/app-dep", "node_modules/shared"])
        }
    }

    /// Runs `npm <command>` in `project` against `registry`, with a private HOME and cache beside it.
    static func npm(_ npm: URL, _ command: String, in project: TestProject, registry: TestRegistry) async throws -> ProcessResult {
        let home = project.directory.deletingLastPathComponent().appendingPathComponent("home")
        return try await ProcessRunner.run(npm, [
            command, "--registry", registry.url, "--ignore-scripts", "--no-audit", "--no-fund",
            "--cache", home.appendingPathComponent("npm-cache").path,
        ], in: project.directory, environment: ["HOME": home.path, "npm_config_update_notifier": "false"])
    }

    /// (install path, name, version, integrity) of every installed package.
    static func tuples(_ lock: Lockfile) -> Set<String> {
        Set(lock.packages.compactMap { path, entry in
            guard !path.isEmpty else { return nil }
            return "\(path) \(entry.name ?? Lockfile.packageName(atPath: path) ?? "?")@\(entry.version ?? "?") \(entry.integrity ?? "-")"
        })
    }
}
