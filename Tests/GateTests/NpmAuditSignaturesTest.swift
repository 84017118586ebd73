import FixtureTesting
import Foundation
import Testing
import Harness

extension Phase12NpmPublish {
    /// On the gate's install, our `verify-install audit` and the real `npm audit signatures`
    /// (offline: the world's TUF mirror through its CONNECT proxy) both pass and print the same counts.
    func npmAuditSignatures() async throws {
        let world = try await GateWorld.shared.world()
        let (project, install) = try await GateWorld.shared.basicInstall()
        try #require(install.status == 0, "the gate install failed: \(install.stderr)")

        let ours = try await ProcessRunner.run(Products.executable("verify-install"), [
            "audit", "--prefix", project.path, "--registry", world.registryURL, "--trusted-root", world.trustedRootFile.path,
        ])
        #expect(ours.status == 0, "verify-install audit: \(ours.stdout)\(ours.stderr)")

        let npm = try #require(ProcessRunner.which("npm"), "the real npm CLI is not on PATH")
        let cache = Scratch.path("npm-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let theirs = try await ProcessRunner.run(npm, ["audit", "signatures", "--fetch-retries=0"], in: project,
                                                 environment: try world.npmEnvironment(cache: cache), isolatedHome: true)
        #expect(theirs.status == 0, "npm audit signatures: \(theirs.stdout)\(theirs.stderr)")

        let counted = { (output: String) in
            output.split(separator: "\n").map(String.init).filter { $0.contains("verified registry signature") || $0.contains("verified attestation") }
        }
        let npmCounts = counted(theirs.stdout)
        #expect(npmCounts == ["2 packages have verified registry signatures", "2 packages have verified attestations"],
                "npm printed: \(theirs.stdout)")
        #expect(counted(ours.stdout) == npmCounts, "ours: \(ours.stdout)\nnpm: \(theirs.stdout)")
        #expect(ours.stdout.contains("audited 2 packages"), "\(ours.stdout)")
        #expect(theirs.stdout.contains("audited 2 packages"), "\(theirs.stdout)")
    }
}
