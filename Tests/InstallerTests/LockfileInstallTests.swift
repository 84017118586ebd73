import Foundation
import Installer
import Testing
import NpmModel

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
}
