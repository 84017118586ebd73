import Foundation
import Installer
import Testing
import NpmModel
import SafeJSON

/// `verify-install ci`: exactly the lockfile, verified against the registry.
@Suite struct LockfileInstallTests {
    @Test func ciReinstallsExactlyTheLockedTree() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let first = try await project.install(registry)
            let lockBefore = try Data(contentsOf: project.directory.appendingPathComponent("package-lock.json"))
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let second = try await project.ci(registry)
            #expect(second.packages.map(\.path) == first.packages.map(\.path))
            #expect(second.packages.map(\.integrity) == first.packages.map(\.integrity))
            #expect(second.packages.allSatisfy { $0.fromCache == true })
            #expect(try Data(contentsOf: project.directory.appendingPathComponent("package-lock.json")) == lockBefore)
        }
    }

    @Test func ciFailsWhenRegistryIntegrityDiffersFromLockfile() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            var text = try String(contentsOf: lockURL, encoding: .utf8)
            let lock = try project.lockfile()
            let original = try #require(lock.packages["node_modules/@mochi/runtime"]?.integrity)
            let forged = "sha512-" + String(repeating: "A", count: 86) + "=="
            text = text.replacingOccurrences(of: original, with: forged)
            try Data(text.utf8).write(to: lockURL)
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/runtime") == true)
            #expect(error?.message.contains(forged) == true)
            #expect(error?.message.contains(original) == true)
        }
    }

    /// npm reads npm-shrinkwrap.json whenever it is there and ignores package-lock.json; so do ci
    /// and install (found by review: ci installed the package-lock beside the shrinkwrap that npm
    /// and verify-lockfile read).
    @Test func aShrinkwrapIsTheLockfileWheneverItIsThere() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let packageLock = project.directory.appendingPathComponent("package-lock.json")
            let shrinkwrap = project.directory.appendingPathComponent("npm-shrinkwrap.json")
            try FileManager.default.copyItem(at: packageLock, to: shrinkwrap)
            // A package-lock that would fail if read: ci must not read it.
            let original = try #require(try project.lockfile().packages["node_modules/@mochi/runtime"]?.integrity)
            let forged = try String(contentsOf: packageLock, encoding: .utf8)
                .replacingOccurrences(of: original, with: "sha512-" + String(repeating: "A", count: 86) + "==")
            try Data(forged.utf8).write(to: packageLock)
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let report = try await project.ci(registry)
            #expect(report.lockfile == shrinkwrap.path)
            #expect(project.installedVersion("node_modules/@mochi/runtime") != nil)
            // install writes the shrinkwrap and leaves package-lock.json as it was.
            try Data(#"{"name":"basic","lockfileVersion":3,"requires":true,"packages":{}}"#.utf8).write(to: shrinkwrap)
            let installed = try await project.install(registry)
            #expect(installed.lockfile == shrinkwrap.path)
            #expect(try String(contentsOf: packageLock, encoding: .utf8) == forged)
            #expect(try Lockfile(data: Data(contentsOf: shrinkwrap), file: shrinkwrap.path).packages["node_modules/@mochi/runtime"] != nil)
        }
    }

    /// Found by review: a committed lockfile of a million entries held ci for most of an hour and
    /// 8 GB of memory; ci keeps the bound install's resolver keeps, before asking the registry.
    @Test func ciRefusesALockfileOfMorePackagesThanAnInstallMayHold() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let entries = (0...50_000).map { #""node_modules/p\#($0)":{"version":"1.0.0","resolved":"http://127.0.0.1:1/p.tgz","integrity":"sha512-AAAA"}"# }
            try Data((#"{"lockfileVersion":3,"packages":{"":{},"# + entries.joined(separator: ",") + "}}").utf8)
                .write(to: project.directory.appendingPathComponent("package-lock.json"))
            try Data(#"{"name":"basic"}"#.utf8).write(to: project.directory.appendingPathComponent("package.json"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("locks 50001 packages, more than 50000") == true, "\(error?.message ?? "")")
        }
    }

    /// Found by review: install deleted a folder named like the lockfile (it read it with `try?`
    /// and then replaced it); and an empty or dangling shrinkwrap is none, as npm reads it.
    @Test func aLockfileThatIsNoRegularFileIsRefusedAndAnEmptyShrinkwrapIsNone() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let folder = project.directory.appendingPathComponent("npm-shrinkwrap.json")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("precious".utf8).write(to: folder.appendingPathComponent("important.txt"))
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.exitCode == 4)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("important.txt").path))
            try FileManager.default.removeItem(at: folder)
            try Data().write(to: folder)
            let report = try await project.install(registry)
            #expect(report.lockfile == project.directory.appendingPathComponent("package-lock.json").path)
            try FileManager.default.removeItem(at: folder)
            try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: "missing.json")
            #expect(try await project.ci(registry).lockfile == project.directory.appendingPathComponent("package-lock.json").path)
        }
    }

    /// Found by review: npm installs the subtree of a package that carries its own shrinkwrap from
    /// it; install resolves it from the registry, and now says so rather than differ silently.
    @Test func installWarnsOfADependencysOwnShrinkwrap() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("wrapped", "1.0.0", extra: ["_hasShrinkwrap": true])
            let project = try TestProject(copying: "basic")
            try Data(#"{"name":"app","dependencies":{"wrapped":"1.0.0"}}"#.utf8).write(to: project.directory.appendingPathComponent("package.json"))
            let report = try await project.install(registry)
            #expect(report.warnings.contains { $0.contains("wrapped@1.0.0 carries its own npm-shrinkwrap.json") }, "\(report.warnings)")
        }
    }

    @Test func ciRefusesLockfileOutOfSyncWithPackageJSON() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            try Data(#"{"name":"x","dependencies":{"@mochi/example":"^2.0.0-0"}}"#.utf8)
                .write(to: project.directory.appendingPathComponent("package.json"))
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 2)
        }
    }

    /// install and ci do not install workspaces yet: they refuse, and change nothing, rather than
    /// write a lockfile without the workspace folders.
    @Test(arguments: [#"["packages/*"]"#, #"{"packages": ["apps/*"]}"#, #"{"nohoist": []}"#])
    func workspaceProjectsAreRefusedAndLeftAsTheyWere(workspaces: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let packageURL = project.directory.appendingPathComponent("package.json")
            guard case .object(var json) = try JSONValue.parse(Data(contentsOf: packageURL)) else { throw InstallError(.usage, "package.json") }
            json["workspaces"] = try JSONValue.parse(Data(workspaces.utf8))
            try JSONValue.object(json).serialized(pretty: true).write(to: packageURL)
            let before = project.snapshot()
            let lockBefore = try Data(contentsOf: project.directory.appendingPathComponent("package-lock.json"))
            for command in ["install", "ci"] {
                let error = await #expect(throws: InstallError.self) {
                    if command == "ci" { try await project.ci(registry) } else { try await project.install(registry) }
                }
                #expect(error?.exitCode == 2)
                #expect(error?.message.contains("declares npm workspaces") == true)
                #expect(error?.message.contains("verify-install \(command) does not install workspaces") == true)
            }
            #expect(project.snapshot() == before)
            #expect(try Data(contentsOf: project.directory.appendingPathComponent("package-lock.json")) == lockBefore)
        }
    }

    @Test(arguments: ["[]", "false", "null", #""""#, "0", #"{"packages": []}"#])
    func anEmptyOrFalsyWorkspacesFieldIsNoWorkspace(workspaces: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let packageURL = project.directory.appendingPathComponent("package.json")
            guard case .object(var json) = try JSONValue.parse(Data(contentsOf: packageURL)) else { throw InstallError(.usage, "package.json") }
            json["workspaces"] = try JSONValue.parse(Data(workspaces.utf8))
            try JSONValue.object(json).serialized(pretty: true).write(to: packageURL)
            #expect(try await project.install(registry).packages.count > 0)
        }
    }
}
