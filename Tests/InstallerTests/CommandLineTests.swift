import FixtureRegistry
import FixtureTesting
import Foundation
import SafeJSON
import Testing
import FixtureFaults

/// The `verify-install` executable: exit codes, --json, and the embedded default registry.
@Suite struct CommandLineTests {
    func verifyInstall(_ arguments: [String], project: TestProject) async throws -> ProcessResult {
        try await ProcessRunner.run(Products.executable("verify-install"), arguments + ["--prefix", project.directory.path, "--cache", project.cache.path],
                              environment: ["HOME": project.directory.deletingLastPathComponent().path])
    }

    @Test func tamperedTarballExitsOneAndNamesBothDigests() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            registry.faults.add(.tarball(name: "@mochi/runtime", version: "1.2.0"), .corruptTarball, times: nil)
            let project = try TestProject(copying: "basic")
            let result = try await verifyInstall(["--registry", registry.url], project: project)
            #expect(result.status == 1, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("@mochi/runtime@1.2.0"))
            #expect(result.stderr.contains("expected sha512-") && result.stderr.contains("found sha512-"))
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    @Test func unknownPackageExitsThree() async throws {
        try await TestRegistry.with { registry in
            let project = try TestProject()
            let result = try await verifyInstall(["--registry", registry.url, "no-such-package"], project: project)
            #expect(result.status == 3, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("no-such-package"))
        }
    }

    @Test func gitSpecIsRefusedAsUnsupportedWithExitTwo() async throws {
        let project = try TestProject()
        let result = try await verifyInstall(["--registry", "http://127.0.0.1:9/", "git+https://github.com/a/b.git"], project: project)
        #expect(result.status == 2)
        #expect(result.stderr.contains("not supported"))
    }

    /// Found by review: install, the default subcommand, took a mistyped command for a package
    /// and installed it (a typosquatting path); said explicitly, the install goes ahead.
    @Test func aMistypedCommandIsRefusedUnlessInstallIsSaid() async throws {
        let project = try TestProject()
        for word in ["audti", "verify-lockfil", "reslove"] {
            let result = try await verifyInstall(["--registry", "http://127.0.0.1:9/", word], project: project)
            #expect(result.status == 2, "\(word): \(result.stderr)")
            #expect(result.stderr.contains("'\(word)' is not a verify-install command"), "\(word): \(result.stderr)")
        }
        let elsewhere = try await verifyInstall(["--cache", "install", "--registry", "http://127.0.0.1:9/", "audti"], project: project)
        #expect(elsewhere.status == 2, "an option's value 'install' says nothing: \(elsewhere.stderr)")
        let said = try await verifyInstall(["install", "--registry", "http://127.0.0.1:9/", "audti"], project: project)
        #expect(said.status == 3, "the registry is unreachable, so the install fails there: \(said.stderr)")
        let other = try await verifyInstall(["--registry", "http://127.0.0.1:9/", "cli"], project: project)
        #expect(other.status == 3, "a short name is a package: \(other.stderr)")
    }

    /// Found by review: under --json a refused argument left stdout empty.
    @Test func aRefusedArgumentUnderJSONIsOneJSONDocument() async throws {
        let project = try TestProject()
        let install = try await verifyInstall(["--bogus", "--json"], project: project)
        #expect(install.status == 2)
        let envelope = try JSONValue.parse(Data(install.stdout.utf8))
        #expect(envelope["ok"] == false && envelope["error"]?["kind"] == "usage", "\(install.stdout)")
        let audit = try await verifyInstall(["audit", "--bogus", "--json"], project: project)
        #expect(audit.status == 2)
        #expect(try JSONValue.parse(Data(audit.stdout.utf8))["error"]?["summary"]?.stringValue?.contains("--bogus") == true, "\(audit.stdout)")
    }

    /// Found by review: `save-exact` in .npmrc was ignored once exact versions got npm's `^`, and
    /// ranges were saved as given where npm saves `^version` (checked with npm 10.8.2).
    @Test(arguments: [
        ("save-exact=true\n", "1.1.0", "1.1.0"), ("save-prefix=~\n", "1.1.0", "~1.1.0"), ("", "1.1.0", "^1.1.0"),
        ("", "1", "^1.1.0"), ("", ">=1.0.0", "^1.1.0"), ("", "~1.1", "~1.1"), ("save-exact=1\n", "^1", "1.1.0"),
        ("save-prefix=~\n", "~1.1", "~1.1.0"), ("save-exact=false\n", "latest", "^1.1.0"), ("save-exact=0\n", "1.1.0", "1.1.0"),
    ])
    func theSavedSpecFollowsNpmsSaveRules(_ npmrc: String, _ asked: String, _ saved: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject()
            try Data(npmrc.utf8).write(to: project.directory.appendingPathComponent(".npmrc"))
            let result = try await verifyInstall(["--registry", registry.url, "@mochi/example@\(asked)", "-q"], project: project)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONValue.parse(try Data(contentsOf: project.directory.appendingPathComponent("package.json")))
            #expect(json["dependencies"]?["@mochi/example"]?.stringValue == saved, "\(npmrc) \(asked)")
        }
    }

    @Test func badFlagsAreUsageErrorsWithExitTwo() async throws {
        let project = try TestProject()
        for arguments in [["--concurrency", "0", "x"], ["--bogus"], ["--registry", "ftp://x/", "x"]] {
            let result = try await verifyInstall(arguments, project: project)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Error:"))
        }
    }

    @Test func jsonReportListsVerifiedPackages() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            let result = try await verifyInstall(["--registry", registry.url, "--json"], project: project)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(json?["ok"] as? Bool == true)
            let packages = (json?["report"] as? [String: Any])?["packages"] as? [[String: Any]] ?? []
            #expect(packages.contains { $0["name"] as? String == "@mochi/example" && $0["version"] as? String == "1.1.0" })
        }
    }

    @Test func embeddedRegistryIsUsedWhenNoneIsConfigured() async throws {
        let project = try TestProject()
        let result = try await verifyInstall(["@mochi/example"], project: project)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("embedded fixture world"))
        #expect(result.stdout.contains("@mochi/example@1.1.0"))
        #expect(result.stdout.contains("provenance: 2/2 verified"), "the embedded world's trust root is used: \(result.stdout)")
        #expect(result.stdout.contains("(trusted root: TUF http://127.0.0.1:"), "taken through the TUF client: \(result.stdout)")
        #expect(result.stdout.contains("registry signatures: 2/2 verified"), "\(result.stdout)")
        #expect(project.installedVersion("node_modules/@mochi/example") == "1.1.0")
        #expect(result.stdout.split(separator: "\n").first?.hasPrefix("TRUST: fixture world (test-only keys)") == true,
                "the first line says whose trust this is: \(result.stdout)")
    }

    @Test func embeddedTrustIsMarkedInTheJSONReport() async throws {
        let project = try TestProject()
        let result = try await verifyInstall(["@mochi/example", "--json"], project: project)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((json?["report"] as? [String: Any])?["trustNotice"] as? String == "fixture world (test-only keys)")
    }
}
