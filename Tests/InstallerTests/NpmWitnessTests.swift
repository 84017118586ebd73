import FixtureTesting
import Foundation
import Installer
import NpmModel
import SafeJSON
import Testing

/// The real npm CLI as an independent witness: same registry, same consumer fixture, same tree.
/// A missing npm skips with a reason unless REQUIRE_NPM=1 makes it a failure.
@Suite(.requires(.npm)) struct NpmWitnessTests {
    @Test func npmInstallsTheSameTreeAsVerifyInstall() async throws {
        let npm = try #require(ProcessRunner.which("npm"))
        try await TestRegistry.with(seeded: true) { registry in
            let ours = try TestProject(copying: "basic")
            try await ours.install(registry)
            let theirs = try TestProject(copying: "basic")
            let result = try await Self.npm(npm, "install", in: theirs, registry: registry)
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try Self.tuples(ours.lockfile()) == Self.tuples(theirs.lockfile()))
            #expect(try ours.lockfile().packages.count > 1)
        }
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
