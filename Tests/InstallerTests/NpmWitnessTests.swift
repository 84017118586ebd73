import FixtureTesting
import Foundation
import NpmModel
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
            let home = theirs.directory.deletingLastPathComponent().appendingPathComponent("home")
            let result = try await ProcessRunner.run(npm, [
                "install", "--registry", registry.url, "--ignore-scripts", "--no-audit", "--no-fund",
                "--cache", home.appendingPathComponent("npm-cache").path,
            ], in: theirs.directory, environment: ["HOME": home.path, "npm_config_update_notifier": "false"])
            #expect(result.status == 0, "npm install failed: \(result.stderr)")
            #expect(try Self.tuples(ours.lockfile()) == Self.tuples(theirs.lockfile()))
            #expect(try ours.lockfile().packages.count > 1)
        }
    }

    /// (install path, name, version, integrity) of every installed package.
    static func tuples(_ lock: Lockfile) -> Set<String> {
        Set(lock.packages.compactMap { path, entry in
            guard !path.isEmpty else { return nil }
            return "\(path) \(entry.name ?? Lockfile.packageName(atPath: path) ?? "?")@\(entry.version ?? "?") \(entry.integrity ?? "-")"
        })
    }
}
