import FixtureTesting
import Foundation
import SafeJSON
import Testing
import Harness

/// Stretch: `verify-install` (the consumer) installs a package whose provenance was published with
/// Rekor v2 from a world started with v2, requiring provenance: the v2 bundle and the registry's v1
/// publish attestation both verify under the world's trusted root.
@Suite("verify-install from a Rekor v2 world")
struct V2InstallTests {
    @Test func verifyInstallInstallsAV2PublishedPackage() async throws {
        let world = try await V2World.shared.world()
        try await withScratch("v2-install") { folder in
            let project = folder.appendingPathComponent("app")
            try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
            try Data(#"{"name":"app","version":"1.0.0","private":true}"#.utf8).write(to: project.appendingPathComponent("package.json"))
            let result = try await ProcessRunner.run(Products.executable("verify-install"), [
                "@mochi/example@1.1.0", "--prefix", project.path, "--registry", world.registryURL,
                "--trusted-root", world.trustedRootFile.path, "--cache", folder.appendingPathComponent("cache").path,
                "--require-provenance", "--json",
            ], in: project)
            #expect(result.status == 0, "verify-install: \(result.stdout)\(result.stderr)")
            let report = try JSONValue.parse(Data(result.stdout.utf8))
            #expect(report["ok"] == .bool(true), "\(result.stdout)")
            #expect(result.stdout.contains("mochi-lang/mochi"), "the report names the provenance's repository: \(result.stdout)")
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("node_modules/@mochi/example/package.json").path))
        }
    }
}
