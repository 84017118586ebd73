import Foundation
@testable import Installer
import NpmModel
import RegistryClient
import SafeJSON
import Semver
import Testing

/// npm's platform rules for `ci`: an optional package built for another platform is left out,
/// with what only it needs; a required one fails the run (EBADPLATFORM).
@Suite struct OptionalPlatformTests {
    /// app-dep needs shared and optionally native; native needs shared and native-helper.
    static func publishTree(_ registry: TestRegistry) throws {
        try registry.publish("shared", "1.0.0")
        try registry.publish("native-helper", "1.0.0")
        try registry.publish("native", "1.0.0", dependencies: ["shared": "1.0.0", "native-helper": "1.0.0"])
        try registry.publish("app-dep", "1.0.0", dependencies: ["shared": "1.0.0"],
                             extra: ["optionalDependencies": .object(["native": "1.0.0"])])
    }

    /// Installs app-dep, then rewrites the lockfile entries at `paths` with `fields`, as a lockfile
    /// written on another platform would have them, and removes node_modules.
    static func lockedProject(_ registry: TestRegistry, editing fields: [String: JSONValue], at paths: [String]) async throws -> TestProject {
        try publishTree(registry)
        let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"app-dep":"1.0.0"}}"#)
        try await project.install(registry)
        let lockURL = project.directory.appendingPathComponent("package-lock.json")
        guard case .object(var top) = try JSONValue.parse(Data(contentsOf: lockURL)), case .object(var packages)? = top["packages"] else {
            throw InstallError(.usage, "unexpected lockfile shape")
        }
        for path in paths {
            guard case .object(var entry)? = packages[path] else { throw InstallError(.usage, "\(path) is not locked") }
            for (key, value) in fields { entry[key] = value }
            packages[path] = .object(entry)
        }
        top["packages"] = .object(packages)
        try JSONValue.object(top).serialized(pretty: true).write(to: lockURL)
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
        return project
    }

    @Test func ciLeavesOutAnOptionalPackageForAnotherPlatformAndWhatOnlyItNeeds() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["os": ["sunos"], "optional": true],
                                                       at: ["node_modules/native", "node_modules/native-helper"])
            let report = try await project.ci(registry)
            #expect(Set(report.packages.map(\.path)) == ["node_modules/app-dep", "node_modules/shared"])
            #expect(project.installedVersion("node_modules/native") == nil && project.installedVersion("node_modules/native-helper") == nil)
            #expect(project.installedVersion("node_modules/shared") == "1.0.0")
            #expect(report.warnings.contains { $0.contains("skipped node_modules/native: optional, and its os [\"sunos\"] does not include") })
            #expect(report.warnings.contains { $0.contains("skipped node_modules/native-helper: needed only by node_modules/native") })
        }
    }

    /// Found by review: arborist keeps one edge per name, and an optional dependency replaces a
    /// peer of the same name; ci kept the required peer edge and refused what npm installs.
    @Test func aNameBothPeerAndOptionalIsOptionalAsArboristReadsIt() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["os": ["sunos"], "optional": true],
                                                       at: ["node_modules/native", "node_modules/native-helper"])
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            guard case .object(var top) = try JSONValue.parse(Data(contentsOf: lockURL)), case .object(var packages)? = top["packages"],
                  case .object(var appDep)? = packages["node_modules/app-dep"] else { Issue.record("unexpected lockfile shape"); return }
            appDep["peerDependencies"] = ["native": "1.0.0"]
            packages["node_modules/app-dep"] = .object(appDep)
            top["packages"] = .object(packages)
            try JSONValue.object(top).serialized(pretty: true).write(to: lockURL)
            let report = try await project.ci(registry)
            #expect(project.installedVersion("node_modules/native") == nil)
            #expect(report.warnings.contains { $0.contains("skipped node_modules/native: optional") })
        }
    }

    /// Found by review: arborist checks every required entry's platform before reify skips any
    /// optional set, so a required entry only a skipped package needs still fails the run (it was
    /// skipped with that package, or refused, depending on the order of the paths).
    @Test func aRequiredEntryForAnotherPlatformFailsEvenInsideASkippedOptionalSet() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["os": ["sunos"], "optional": true], at: ["node_modules/native"])
            // A lockfile that does not flag native-helper optional: npm checks it as required.
            try OmitTests.editLockfile(project) { packages in
                OmitTests.set("os", ["sunos"], at: "node_modules/native-helper", in: &packages)
                OmitTests.set("optional", false, at: "node_modules/native-helper", in: &packages)
            }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("EBADPLATFORM: native-helper@1.0.0 at node_modules/native-helper") == true, "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    /// Found by review: npm's reify also checks an optional package's engines, and leaves it out
    /// (with what only it needs) when they refuse this node; a required one is only warned about.
    @Test func ciLeavesOutAnOptionalPackageWhoseEnginesRefuseThisNode() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["engines": ["node": ">=99"], "optional": true],
                                                       at: ["node_modules/native"])
            let report = try await project.ci(registry, engines: EngineVersions(node: "20.20.2", npm: "10.8.2"))
            #expect(Set(report.packages.map(\.path)) == ["node_modules/app-dep", "node_modules/shared"])
            #expect(report.warnings.contains { $0.contains("skipped node_modules/native: optional, and its engines (node >=99) refuse") }, "\(report.warnings)")
        }
    }

    /// Found by a re-attack: an `engines` value that is no string fails npm's checkEngine, so npm
    /// leaves such an optional package out; it was dropped unread and the package placed.
    @Test func anOptionalPackageWhoseEnginesAreNoStringsIsLeftOut() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["engines": ["node": 18], "optional": true],
                                                       at: ["node_modules/native"])
            let report = try await project.ci(registry, engines: EngineVersions(node: "20.20.2", npm: "10.8.2"))
            #expect(Set(report.packages.map(\.path)) == ["node_modules/app-dep", "node_modules/shared"])
        }
    }

    @Test func ciRefusesARequiredPackageForAnotherPlatform() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["cpu": [.string("!\(Platform.hostCPU)")]], at: ["node_modules/shared"])
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("EBADPLATFORM: shared@1.0.0 at node_modules/shared") == true)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func anOptionalFlagDoesNotSkipWhatTheProjectRequires() async throws {
        try await TestRegistry.with { registry in
            let project = try await Self.lockedProject(registry, editing: ["os": ["sunos"], "optional": true], at: ["node_modules/app-dep"])
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("is marked optional, but the project needs it") == true)
        }
    }

    /// A lockfile that calls a dependency optional when the registry's manifest requires it cannot
    /// make ci install the dependent without it.
    @Test func aRequiredEdgeTheRegistryDeclaresCannotLeadToASkippedPackage() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("native", "1.0.0")
            try registry.publish("strict", "1.0.0", dependencies: ["native": "1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"strict":"1.0.0"}}"#)
            try await project.install(registry)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            var text = try String(contentsOf: lockURL, encoding: .utf8)
            let edited = text.replacingOccurrences(of: #""dependencies": {"#, with: #""optionalDependencies": {"#, options: [], range: text.range(of: #""node_modules/strict""#).map { $0.lowerBound..<text.endIndex })
            #expect(edited != text)
            text = edited.replacingOccurrences(of: #""node_modules/native": {"#, with: #""node_modules/native": {"optional": true, "os": ["sunos"], "#)
            try Data(text.utf8).write(to: lockURL)
            #expect(try project.lockfile().packages["node_modules/native"]?.os == ["sunos"])
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("node_modules/strict depends on native@1.0.0 (its registry manifest), which is not locked") == true, "\(error?.message ?? "")")
        }
    }

    @Test func installRefusesARequiredPackageForAnotherPlatformAndChangesNothing() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("sunos-only", "1.0.0", extra: ["os": ["sunos"]])
            try registry.publish("wrapper", "1.0.0", dependencies: ["sunos-only": "1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"wrapper":"1.0.0"}}"#)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("EBADPLATFORM: sunos-only@1.0.0 at node_modules/sunos-only is required, and its os [\"sunos\"]") == true)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("package-lock.json").path))
        }
    }

    /// npm leaves an optional package for another platform off disk but records it in the lockfile,
    /// with what only it needs (found by review: left out of the lockfile, npm ci refused our
    /// lockfile as missing it, on every machine).
    @Test func installRecordsButDoesNotPlaceAnOptionalDependencyForAnotherPlatform() async throws {
        try await TestRegistry.with { registry in
            try Self.publishTree(registry)
            try registry.publish("native-dep", "1.0.0")
            try registry.publish("native", "2.0.0", dependencies: ["native-dep": "1.0.0"], extra: ["os": ["sunos"]])
            try registry.publish("app-dep", "2.0.0", extra: ["optionalDependencies": .object(["native": "2.0.0"])])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"app-dep":"2.0.0"}}"#)
            let report = try await project.install(registry)
            #expect(report.packages.map(\.path) == ["node_modules/app-dep"])
            #expect(report.warnings.contains { $0.contains("left out native@2.0.0 at node_modules/native: optional dependency of app-dep@2.0.0, and its os [\"sunos\"]") })
            #expect(report.warnings.contains { $0.contains("left out native-dep@1.0.0 at node_modules/native-dep: needed only by node_modules/native") })
            let lockfile = try project.lockfile()
            #expect(lockfile.packages["node_modules/native"]?.os == ["sunos"] && lockfile.packages["node_modules/native"]?.optional == true)
            #expect(lockfile.packages["node_modules/native-dep"]?.optional == true)
            for path in ["node_modules/native", "node_modules/native-dep"] { #expect(project.installedVersion(path) == nil) }
            // The lockfile is one ci takes, leaving the same packages out.
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let again = try await project.ci(registry)
            #expect(again.packages.map(\.path) == ["node_modules/app-dep"])
        }
    }

    /// Found by a re-attack: a package an optional edge reached first stayed left out for `--cpu`
    /// though a required edge reached it too; npm places it.
    @Test func aPackageARequiredEdgeAlsoReachesIsPlacedWhateverTheCPUSetting() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("cpu-only", "1.0.0", extra: ["cpu": [.string(Platform.hostCPU)]])
            try registry.publish("optx", "1.0.0", extra: ["optionalDependencies": ["cpu-only": "1.0.0"]])
            try registry.publish("reqx", "1.0.0", dependencies: ["cpu-only": "1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"optx":"1.0.0","reqx":"1.0.0"}}"#)
            try await project.install(registry, scope: InstallScope(cpu: "mips"))
            #expect(project.installedVersion("node_modules/cpu-only") == "1.0.0")
        }
    }

    /// Found by a re-attack: a left-out package's nested dependency was placed under its missing
    /// folder, and ci refused npm's own lockfile as extraneous where only that package leads.
    @Test func nothingIsPlacedInsideALeftOutFolderAndWhatOnlyItLeadsToIsNotExtraneous() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("helper4", "1.0.0")
            try registry.publish("helper4", "2.0.0")
            try registry.publish("helper3", "1.0.0")
            try registry.publish("pd3", "1.0.0", extra: ["os": ["sunos"], "optionalDependencies": ["helper3": "1.0.0", "helper4": "^2.0.0"]])
            try registry.publish("native3", "1.0.0", extra: ["optionalDependencies": ["pd3": "1.0.0"]])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"native3":"1.0.0","helper4":"^1.0.0"}}"#)
            try await project.install(registry)
            #expect(try Set(project.lockfile().packages.keys).isSuperset(of: ["node_modules/pd3", "node_modules/pd3/node_modules/helper4"]))
            for path in ["node_modules/pd3", "node_modules/pd3/node_modules/helper4"] {
                #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent(path).path), "\(path)")
            }
            #expect(project.installedVersion("node_modules/helper3") == "1.0.0")
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let report = try await project.ci(registry)
            #expect(Set(report.packages.map(\.path)) == ["node_modules/native3", "node_modules/helper4", "node_modules/helper3"])
        }
    }

    /// Found by a re-attack: an invented entry skipped for its platform let in whatever it named,
    /// and nothing checked those packages' own edges. The whole locked tree must hold together.
    @Test func anInventedSkippedEntryLetsNothingIn() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("extra-pkg", "1.0.0")
            let (integrity, tarball) = try await LockfileAttackTests.dist(of: registry, "extra-pkg", "1.0.0")
            let project = try await Self.lockedProject(registry, editing: [:], at: [])
            try OmitTests.editLockfile(project) { packages in
                packages["node_modules/no-such-pkg"] = .object(["version": "0.0.1", "resolved": .string(registry.url + "no-such-pkg/-/no-such-pkg-0.0.1.tgz"),
                                                                "integrity": .string(integrity), "optional": true, "os": ["sunos"],
                                                                "optionalDependencies": ["extra-pkg": "*"]])
                packages["node_modules/extra-pkg"] = .object(["version": "1.0.0", "resolved": .string(tarball), "integrity": .string(integrity)])
            }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.message.contains("node_modules/no-such-pkg (0.0.1) is extraneous") == true, "\(String(describing: error))")
            #expect(project.installedVersion("node_modules/extra-pkg") == nil)
        }
    }

    /// A peer is required unless peerDependenciesMeta says otherwise (found by a re-attack: peers
    /// counted as optional, so ci passed a tree without a package that needs one).
    @Test func aRequiredPeerCanBeNeitherSkippedNorMissing() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("leaf", "1.0.0")
            try registry.publish("peery", "1.0.0", extra: ["peerDependencies": ["leaf": "^1.0.0"]])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"peery":"1.0.0"}}"#)
            try await project.install(registry)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            let original = try String(contentsOf: lockURL, encoding: .utf8)
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let skipped = original.replacingOccurrences(of: #""node_modules/leaf": {"#, with: #""node_modules/leaf": {"optional": true, "os": ["sunos"], "#)
            #expect(skipped != original)
            try Data(skipped.utf8).write(to: lockURL)
            let refused = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(refused?.message.contains("EBADPLATFORM: leaf@1.0.0") == true, "\(refused?.message ?? "")")
            guard case .object(var top) = try JSONValue.parse(Data(original.utf8)), case .object(var packages)? = top["packages"] else { return }
            packages["node_modules/leaf"] = nil
            top["packages"] = .object(packages)
            try JSONValue.object(top).serialized(pretty: true).write(to: lockURL)
            let missing = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(missing?.message.contains("node_modules/peery depends on leaf@^1.0.0 (its lockfile entry (peer)), which is not locked") == true, "\(missing?.message ?? "")")
        }
    }

    @Test func installRecordsPlatformFieldsInTheLockfile() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("portable", "1.0.0", extra: ["os": "!sunos", "cpu": ["x64", "arm64", "!ia32"]])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"portable":"1.0.0"}}"#)
            try await project.install(registry)
            let entry = try #require(try project.lockfile().packages["node_modules/portable"])
            #expect(entry.os == ["!sunos"])
            #expect(entry.cpu == ["x64", "arm64", "!ia32"])
            #expect(entry.libc == nil)
        }
    }

    /// npm-install-checks `checkList`, case by case.
    @Test(arguments: [
        (["any"], "linux", true), (["any", "darwin"], "linux", false), ([], "linux", true),
        (["!darwin"], "linux", true), (["!linux"], "linux", false), (["linux", "!linux"], "linux", false),
        (["darwin", "linux"], "linux", true), (["darwin", "!win32"], "linux", false), (["Linux"], "linux", false),
    ])
    func platformListsFollowNpmInstallChecks(list: [String], value: String, allowed: Bool) {
        #expect(PlatformCheck.allows(list, value) == allowed)
    }

    /// npm-install-checks reads an empty string (falsy) as no list at all.
    @Test func anEmptyPlatformStringIsNoList() {
        #expect(Lockfile.Entry.platformList(.string("")) == nil)
        #expect(Lockfile.Entry.platformList(.string("linux")) == ["linux"])
        #expect(Lockfile.Entry.platformList(.array([.string("")])) == [""])
        // Found by review: what npm-install-checks throws on (a skipped optional, a failed required
        // package) matches nothing, where its bad entries were dropped and the package placed.
        for value: JSONValue in [.bool(true), .object([:]), .number(5), .array([.string("!win32"), .number(5)])] {
            #expect(Lockfile.Entry.platformList(value) == Lockfile.Entry.malformedPlatformList)
            #expect(PlatformCheck.mismatch(os: Lockfile.Entry.platformList(value), cpu: nil, libc: nil, on: .host) != nil)
        }
        for value: JSONValue in [.bool(false), .number(0), .null] { #expect(Lockfile.Entry.platformList(value) == nil) }
    }

    @Test func libcListsMatchOnlyThisLibc() {
        #expect(PlatformCheck.mismatch(os: nil, cpu: nil, libc: ["glibc"], on: .host) == nil)
        #expect(PlatformCheck.mismatch(os: nil, cpu: nil, libc: ["musl"], on: .host) != nil)
        #expect(PlatformCheck.mismatch(os: nil, cpu: nil, libc: nil, on: .host) == nil)
    }
}
