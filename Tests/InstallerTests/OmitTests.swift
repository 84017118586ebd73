import Foundation
@testable import Installer
import NpmModel
import RegistryClient
import SafeJSON
import Testing

/// npm's `--omit` (and `NODE_ENV=production`): `ci` leaves omitted packages off disk without
/// fetching them; `install` verifies and locks them but does not place them; a placed package
/// that needs an omitted one through a required edge is refused.
@Suite struct OmitTests {
    /// app needs prod-dep (which needs shared) and, for development, dev-tool (which needs tool-helper).
    static func project(_ registry: TestRegistry) throws -> TestProject {
        try registry.publish("shared", "1.0.0")
        try registry.publish("prod-dep", "1.0.0", dependencies: ["shared": "1.0.0"])
        try registry.publish("tool-helper", "1.0.0")
        try registry.publish("dev-tool", "1.0.0", dependencies: ["tool-helper": "1.0.0"], extra: ["bin": ["dev-tool": "index.js"]])
        return try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"prod-dep":"1.0.0"},"devDependencies":{"dev-tool":"1.0.0"}}"#)
    }

    static let omitDev = InstallScope(omit: [.dev])
    static let devPaths: Set<String> = ["node_modules/dev-tool", "node_modules/tool-helper"]

    /// Rewrites the project's package-lock.json entries with `edit`, then removes node_modules.
    static func editLockfile(_ project: TestProject, _ edit: (inout [String: JSONValue]) -> Void) throws {
        let lockURL = project.directory.appendingPathComponent("package-lock.json")
        guard case .object(var top) = try JSONValue.parse(Data(contentsOf: lockURL)), case .object(var packages)? = top["packages"] else {
            throw InstallError(.usage, "unexpected lockfile shape")
        }
        edit(&packages)
        top["packages"] = .object(packages)
        try JSONValue.object(top).serialized(pretty: true).write(to: lockURL)
        try? FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
    }

    static func set(_ key: String, _ value: JSONValue, at path: String, in packages: inout [String: JSONValue]) {
        guard case .object(var entry)? = packages[path] else { return }
        entry[key] = value
        packages[path] = .object(entry)
    }

    @Test func ciWithOmitDevLeavesDevPackagesOffDiskWithoutFetchingThem() async throws {
        try await TestRegistry.with { registry in
            let project = try Self.project(registry)
            try await project.install(registry)
            // A dev entry whose integrity no tarball matches: ci --omit=dev never fetches it.
            try Self.editLockfile(project) { packages in
                Self.set("integrity", .string("sha512-" + String(repeating: "A", count: 86) + "=="), at: "node_modules/tool-helper", in: &packages)
            }
            let report = try await project.ci(registry, scope: Self.omitDev)
            #expect(Set(report.packages.map(\.path)) == ["node_modules/prod-dep", "node_modules/shared"])
            #expect(report.omitted == ["dev-tool@1.0.0 at node_modules/dev-tool", "tool-helper@1.0.0 at node_modules/tool-helper"])
            #expect(project.installedVersion("node_modules/prod-dep") == "1.0.0")
            for path in Self.devPaths { #expect(project.installedVersion(path) == nil) }
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules/.bin/dev-tool").path))
            #expect(report.warnings.contains { $0.contains("left out 2 locked package(s) that --omit=dev omits") })
            // Without --omit the same lockfile fails on the bytes it now fetches.
            await #expect(throws: InstallError.self) { try await project.ci(registry) }
        }
    }

    @Test func installWithOmitDevVerifiesAndLocksDevPackagesButDoesNotPlaceThem() async throws {
        try await TestRegistry.with { registry in
            let project = try Self.project(registry)
            let report = try await project.install(registry, scope: Self.omitDev)
            let lockfile = try project.lockfile()
            for path in Self.devPaths {
                #expect(lockfile.packages[path]?.dev == true)
                #expect(project.installedVersion(path) == nil)
            }
            #expect(Set(report.packages.filter { $0.omitted == true }.map(\.path)) == Self.devPaths)
            #expect(report.verified.integrity == 4)
            // npm's hidden lockfile lists what is placed, and only that.
            let hiddenURL = project.directory.appendingPathComponent("node_modules/.package-lock.json")
            let hidden = try Lockfile(data: try Data(contentsOf: hiddenURL), file: hiddenURL.path)
            #expect(Set(hidden.packages.keys) == ["node_modules/prod-dep", "node_modules/shared"])
            #expect(project.installedVersion("node_modules/shared") == "1.0.0")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules/.bin/dev-tool").path))
        }
    }

    /// A lockfile that flags a package the tree needs as dev would leave `require` to look for it
    /// above the project; ci refuses it rather than place a tree with a hole.
    @Test func ciRefusesToOmitAPackageAPlacedOneNeeds() async throws {
        try await TestRegistry.with { registry in
            let project = try Self.project(registry)
            try await project.install(registry)
            try Self.editLockfile(project) { packages in Self.set("dev", true, at: "node_modules/shared", in: &packages) }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry, scope: Self.omitDev) }
            #expect(error?.message.contains("prod-dep") == true && error?.message.contains("shared@1.0.0") == true)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    /// Found by a re-attack: npm's trash list holds exact paths, so npm ci fetches an entry whose own
    /// flags keep it, even inside an omitted folder, and runs its scripts before removing the folder.
    @Test func ciRefusesAnEntryItsFlagsKeepInsideAnOmittedFolder() async throws {
        try await TestRegistry.with { registry in
            let project = try Self.project(registry)
            try await project.install(registry)
            try Self.editLockfile(project) { packages in
                packages["node_modules/dev-tool/node_modules/shared"] = packages["node_modules/shared"]
            }
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry, scope: Self.omitDev) }
            #expect(error?.message.contains("shared@1.0.0 at node_modules/dev-tool/node_modules/shared lies inside node_modules/dev-tool, which --omit=dev leaves out, but its own flags keep it") == true, "\(String(describing: error))")
        }
    }

    /// npm's devOptional: `both` is needed by a dev dependency and by an optional one, so it is
    /// neither dev nor optional; it goes only when both kinds are omitted.
    @Test func aPackageOnlyDevAndOptionalPathsReachIsDevOptional() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("both", "1.0.0")
            try registry.publish("dt", "1.0.0", dependencies: ["both": "1.0.0"])
            try registry.publish("od", "1.0.0", dependencies: ["both": "1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","devDependencies":{"dt":"1.0.0"},"optionalDependencies":{"od":"1.0.0"}}"#)
            try await project.install(registry, scope: InstallScope(omit: [.dev]))
            let entry = try #require(try project.lockfile().packages["node_modules/both"])
            #expect(entry.devOptional && !entry.dev && !entry.optional)
            #expect(project.installedVersion("node_modules/both") == "1.0.0")
            #expect(project.installedVersion("node_modules/dt") == nil)
            let report = try await project.ci(registry, scope: InstallScope(omit: [.dev, .optional]))
            #expect(report.packages.isEmpty)
            #expect(project.installedVersion("node_modules/both") == nil)
        }
    }

    /// npm's `--os`: an optional package for that os is installed here, and one for this machine
    /// is left out; a required package is still checked against this machine (npm 10.8).
    @Test func ciChoosesOptionalPackagesForTheOsSetting() async throws {
        try await TestRegistry.with { registry in
            let project = try await OptionalPlatformTests.lockedProject(registry, editing: ["os": ["sunos"], "optional": true],
                                                                        at: ["node_modules/native", "node_modules/native-helper"])
            let report = try await project.ci(registry, scope: InstallScope(os: "sunos"))
            #expect(project.installedVersion("node_modules/native") == "1.0.0")
            #expect(report.packages.count == 4)
            try Self.editLockfile(project) { packages in
                Self.set("os", ["linux", "darwin"], at: "node_modules/native", in: &packages)
                Self.set("os", ["linux"], at: "node_modules/shared", in: &packages)
            }
            let other = try await project.ci(registry, scope: InstallScope(os: "win32"))
            #expect(project.installedVersion("node_modules/native") == nil)
            #expect(project.installedVersion("node_modules/shared") == "1.0.0")
            #expect(other.warnings.contains { $0.contains("does not include win32 (the os, cpu and libc settings)") })
        }
    }
}
