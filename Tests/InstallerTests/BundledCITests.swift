import FixtureRegistry
import FixtureTesting
import Foundation
import Installer
import NpmModel
import SafeJSON
import Tarball
import Testing

/// A lockfile npm writes for a package that bundles its dependencies: `ci` installs it.
@Suite(.requires(.npm)) struct BundledCITests {
    /// bparent@1.0.0 bundles bchild@1.0.0 in its tarball (`bundleDependencies`); `undeclared` adds
    /// folders it carries without declaring them.
    static func publishBundler(_ registry: TestRegistry, undeclared: [String] = []) throws {
        try registry.publish("bchild", "1.0.0")
        let manifest: JSONValue = ["name": "bparent", "version": "1.0.0", "main": "index.js", "license": "MIT",
                                   "dependencies": ["bchild": "1.0.0"], "bundleDependencies": ["bchild"]]
        let child: JSONValue = ["name": "bchild", "version": "1.0.0", "main": "index.js"]
        let files = [
            PackFile(path: "package.json", contents: try manifest.serialized(pretty: true)),
            PackFile(path: "index.js", contents: Data("module.exports = require('bchild');\n".utf8)),
            PackFile(path: "node_modules/bchild/package.json", contents: try child.serialized(pretty: true)),
            PackFile(path: "node_modules/bchild/index.js", contents: Data("module.exports = 'bundled';\n".utf8)),
        ] + undeclared.map { PackFile(path: "node_modules/\($0)/package.json", contents: Data(#"{"name":"\#($0)","version":"1.0.0"}"#.utf8)) }
        try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: files), tags: ["latest"])
    }

    /// Marks the lockfile entry at `path` as built for another system (`os: ["sunos"]`) and
    /// removes node_modules, as a lockfile written elsewhere would be met; false when `path` is not locked.
    static func lockForAnotherPlatform(_ project: TestProject, at path: String) throws -> Bool {
        let lockURL = project.directory.appendingPathComponent("package-lock.json")
        let text = try String(contentsOf: lockURL, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "\"\(path)\": {", with: "\"\(path)\": {\"os\": [\"sunos\"], ")
        try Data(edited.utf8).write(to: lockURL)
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
        return edited != text
    }

    @Test func ciInstallsALockfileWithBundledEntries() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try Self.publishBundler(registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"}}"#)
            let result = try await NpmWitnessTests.npm(npm, "install", in: project, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            let lock = try project.lockfile()
            #expect(lock.packages["node_modules/bparent/node_modules/bchild"] != nil)
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let report = try await project.ci(registry)
            #expect(report.packages.map(\.path).contains("node_modules/bparent"))
            #expect(project.installedVersion("node_modules/bparent/node_modules/bchild") == "1.0.0")
            let bundled = try String(contentsOf: project.directory.appendingPathComponent("node_modules/bparent/node_modules/bchild/index.js"), encoding: .utf8)
            #expect(bundled.contains("bundled"))
        }
    }

    /// install places what npm places for a package that bundles its dependencies: the bundled copy
    /// from the tarball, nothing from the registry for it, and the lockfile's `inBundle` entry; the
    /// lockfile it writes then passes `ci`.
    @Test func installLeavesBundledDependenciesToTheTarballAsNpmDoes() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try Self.publishBundler(registry)
            let json = #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"}}"#
            let ours = try TestProject(packageJSON: json), theirs = try TestProject(packageJSON: json)
            let report = try await ours.install(registry)
            let result = try await NpmWitnessTests.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try NpmWitnessTests.tuples(ours.lockfile()) == NpmWitnessTests.tuples(theirs.lockfile()))
            #expect(report.packages.map(\.path) == ["node_modules/bparent"])
            #expect(try ours.lockfile().packages["node_modules/bparent/node_modules/bchild"]?.inBundle == true)
            try FileManager.default.removeItem(at: ours.directory.appendingPathComponent("node_modules"))
            #expect(try await ours.ci(registry).packages.map(\.path) == ["node_modules/bparent"])
            #expect(ours.installedVersion("node_modules/bparent/node_modules/bchild") == "1.0.0")
        }
    }

    /// Found by review: a package only a bundled entry needs was skipped with an optional package
    /// that needs it too, and ci reported success without it; npm keeps it.
    @Test func whatABundledEntryNeedsStaysWhenAnOptionalPackageIsSkipped() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("shared", "1.0.0")
            try registry.publish("native", "1.0.0", dependencies: ["shared": "1.0.0"])
            let manifest: JSONValue = ["name": "bparent", "version": "1.0.0", "license": "MIT",
                                       "dependencies": ["bchild": "1.0.0"], "bundleDependencies": ["bchild"]]
            let child: JSONValue = ["name": "bchild", "version": "1.0.0", "dependencies": ["shared": "1.0.0"]]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: [
                PackFile(path: "package.json", contents: try manifest.serialized(pretty: true)),
                PackFile(path: "node_modules/bchild/package.json", contents: try child.serialized(pretty: true)),
            ]), tags: ["latest"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"},"optionalDependencies":{"native":"1.0.0"}}"#)
            try await project.install(registry)
            #expect(try project.lockfile().packages["node_modules/bparent/node_modules/bchild"]?.dependencies["shared"] != nil)
            #expect(try Self.lockForAnotherPlatform(project, at: "node_modules/native"))
            let report = try await project.ci(registry)
            #expect(project.installedVersion("node_modules/native") == nil)
            #expect(project.installedVersion("node_modules/shared") == "1.0.0", "\(report.warnings)")
        }
    }

    /// Found by review: npm checks a bundled entry's platform too, and npm ci refuses a required
    /// one built for another system.
    @Test func aRequiredBundledEntryForAnotherPlatformIsRefused() async throws {
        try await TestRegistry.with { registry in
            try Self.publishBundler(registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"}}"#)
            try await project.install(registry)
            #expect(try Self.lockForAnotherPlatform(project, at: "node_modules/bparent/node_modules/bchild"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("EBADPLATFORM: bchild@1.0.0 bundled at node_modules/bparent/node_modules/bchild") == true, "\(error?.message ?? "accepted")")
            #expect(project.installedVersion("node_modules/bparent") == nil)
        }
    }

    /// An optional bundler left out for its platform takes its bundled entries with it (found by a
    /// re-attack: the old fsevents shape, darwin-only and bundling, failed ci on Linux).
    @Test func aSkippedBundlerTakesItsBundleWithIt() async throws {
        try await TestRegistry.with { registry in
            try Self.publishBundler(registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","optionalDependencies":{"bparent":"1.0.0"}}"#)
            try await project.install(registry)
            #expect(try project.lockfile().packages["node_modules/bparent/node_modules/bchild"]?.inBundle == true)
            #expect(try Self.lockForAnotherPlatform(project, at: "node_modules/bparent"))
            let report = try await project.ci(registry)
            #expect(report.packages.isEmpty)
            #expect(report.warnings.contains { $0.contains("skipped node_modules/bparent: optional") })
        }
    }

    /// A package left out for its platform must not be replaced by a copy some bundle carries at
    /// its path (found by a re-attack: the skip turned ci's "already provided" refusal into success).
    @Test func aSkippedPathABundleCarriesFailsCI() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("leaf", "1.0.0")
            let manifest: JSONValue = ["name": "carrier", "version": "1.0.0", "license": "MIT", "optionalDependencies": ["leaf": "^1.0.0"]]
            let files = [PackFile(path: "package.json", contents: try manifest.serialized(pretty: true)),
                         PackFile(path: "node_modules/leaf/package.json", contents: Data(#"{"name":"leaf","version":"6.6.6"}"#.utf8)),
                         PackFile(path: "node_modules/leaf/index.js", contents: Data("module.exports = 'BUNDLED';\n".utf8))]
            try registry.storage.addVersion(manifest: manifest, tarball: try TarballPacker.pack(files: files), tags: ["latest"])
            let (carrier, carrierURL) = try await LockfileAttackTests.dist(of: registry, "carrier", "1.0.0")
            let (leaf, leafURL) = try await LockfileAttackTests.dist(of: registry, "leaf", "1.0.0")
            let lock = #"""
                {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {
                  "": {"name": "app", "version": "1.0.0", "dependencies": {"carrier": "1.0.0"}},
                  "node_modules/carrier": {"version": "1.0.0", "resolved": "\#(carrierURL)", "integrity": "\#(carrier)", "optionalDependencies": {"leaf": "^1.0.0"}},
                  "node_modules/carrier/node_modules/leaf": {"version": "1.0.0", "resolved": "\#(leafURL)", "integrity": "\#(leaf)", "optional": true, "os": ["sunos"]}}}
                """#
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"carrier":"1.0.0"}}"#)
            try Data(lock.utf8).write(to: project.directory.appendingPathComponent("package-lock.json"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("node_modules/carrier/node_modules/leaf is left out for its platform, but the verified tarball of a package above it carries a folder there") == true, "\(error?.message ?? "")")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    /// Folders a tarball carries without declaring them are not recorded by our install; npm records
    /// them as extraneous, and ci takes either lockfile (found by a re-attack: both failed ci).
    @Test func undeclaredCarriedFoldersNeitherBreakOurLockfileNorNpms() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            try Self.publishBundler(registry, undeclared: ["extra", "Weird_Name", "node_modules"])
            let json = #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"}}"#
            let ours = try TestProject(packageJSON: json), theirs = try TestProject(packageJSON: json)
            try await ours.install(registry)
            #expect(try Set(ours.lockfile().packages.keys) == ["", "node_modules/bparent", "node_modules/bparent/node_modules/bchild"])
            let result = try await NpmWitnessTests.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try theirs.lockfile().packages.values.contains { $0.extraneous }, "npm records the undeclared folders as extraneous")
            for project in [ours, theirs] {
                try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
                let report = try await project.ci(registry)
                #expect(report.packages.map(\.path) == ["node_modules/bparent"])
                #expect(project.installedVersion("node_modules/bparent/node_modules/bchild") == "1.0.0")
            }
        }
    }

    /// The npm-written project, with `edit` applied to its lockfile text and node_modules removed.
    static func npmProject(_ registry: TestRegistry, _ npm: URL, edit: (String) -> String) async throws -> TestProject {
        try Self.publishBundler(registry)
        let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"bparent":"1.0.0"}}"#)
        let result = try await NpmWitnessTests.npm(npm, "install", in: project, registry: registry)
        #expect(result.status == 0, "npm install failed: \(result.stderr)")
        let lockURL = project.directory.appendingPathComponent("package-lock.json")
        let text = try String(contentsOf: lockURL, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit must apply")
        try Data(edited.utf8).write(to: lockURL)
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
        return project
    }

    /// The lockfile names a bundled package, and the verified tarball does not carry it: caught
    /// once the tree is placed, before anything is committed. (A dependency on it that only the
    /// lockfile gives the bundler is refused before anything is fetched.)
    @Test func aBundledEntryTheTarballDoesNotProvideFailsCI() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            let project = try await Self.npmProject(registry, npm) { text in
                text.replacingOccurrences(of: #""node_modules/bparent/node_modules/bchild": {"#,
                                          with: #""node_modules/bparent/node_modules/bextra": {"version": "1.0.0", "inBundle": true}, "node_modules/bparent/node_modules/bchild": {"#)
            }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("node_modules/bparent/node_modules/bextra (1.0.0) is bundled in the tarball of the package above it, but that verified tarball provides no such package") == true, "\(error?.message ?? "")")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func aBundledEntryAtAnotherVersionFailsCI() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            let project = try await Self.npmProject(registry, npm) { text in
                guard let range = text.range(of: #""node_modules/bparent/node_modules/bchild""#) else { return text }
                return text.replacingOccurrences(of: #""version": "1.0.0""#, with: #""version": "9.9.9""#, options: [], range: range.upperBound..<text.endIndex)
            }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("but node_modules/bparent/node_modules/bchild is locked at 9.9.9") == true, "\(error?.message ?? "")")
        }
    }

    /// The project is not a tarball: a top-level entry that claims to be bundled is fetched and verified.
    @Test func aTopLevelBundledClaimIsStillVerified() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with { registry in
            let project = try await Self.npmProject(registry, npm) {
                $0.replacingOccurrences(of: #""node_modules/bparent": {"#, with: #""node_modules/bparent": {"inBundle": true, "#)
            }
            let report = try await project.ci(registry)
            #expect(report.packages.contains { $0.path == "node_modules/bparent" && $0.integrity.hasPrefix("sha512-") })
        }
    }
}
