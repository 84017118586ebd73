import FixtureTesting
import Foundation
import SafeJSON
import Testing
import FixtureRegistry

/// `verify-install audit` as a process: the report on stdout, npm's exit codes.
@Suite struct AuditCommandTests {
    func run(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(try Products.executable("verify-install"), ["audit"] + arguments, isolatedHome: true)
    }

    @Test func verifiedTreeExitsZeroWithNpmsLines() async throws {
        try await InstalledFixture.with { world in
            let result = try await run(["--prefix", world.project.path, "--registry", world.registry.baseURL])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.replacing(#/ in \d+s\n/#, with: " in 0s\n") == "audited 2 packages in 0s\n\n2 packages have verified registry signatures\n\n")
            #expect(!result.stderr.contains("interrupted"), "\(result.stderr)")
            // The keys were the registry's own word: said on stderr, the report staying npm's.
            #expect(result.stderr.contains("note: registry signatures were verified with keys no pin or TUF target vouches for: \(world.registry.baseURL)-/npm/v1/keys, served by that registry itself"), "\(result.stderr)")
        }
    }

    /// Found by review: a registry that cannot be reached made every package "invalid" and the
    /// run exit 1, so a CI gate could not tell an outage from tampering. Now it exits 3.
    @Test func anUnreachableRegistryExitsThree() async throws {
        try await InstalledFixture.with { world in
            let result = try await run(["--prefix", world.project.path, "--registry", "http://127.0.0.1:9/", "--json"])
            #expect(result.status == 3, "\(result.stderr)")
            #expect(try JSONValue.parse(Data(result.stdout.utf8))["invalid"]?.arrayValue?.count == 2, "\(result.stdout)")
        }
    }

    /// Found by review: a 503 on the attestations alone, the packuments and keys served, made the
    /// failure an "outage" (exit 3) that a CI gate may let pass; withheld evidence is a verdict.
    @Test func attestationsWithheldAfterThePackumentIsAVerdict() async throws {
        try await InstalledFixture.with { world in
            let mirror = try await world.mirror { answers in
                answers.editDist("@mochi/example", "1.1.0") { dist in
                    dist["attestations"] = ["url": "https://registry.npmjs.org/-/npm/v1/attestations/@mochi%2fexample@1.1.0",
                                            "provenance": ["predicateType": "https://slsa.dev/provenance/v1"]]
                }
            }
            defer { Task { [mirror] in await mirror.stop() } }
            mirror.failWith503(below: "/-/npm/v1/attestations/")
            let result = try await run(["--prefix", world.project.path, "--registry", mirror.baseURL, "--json"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(try JSONValue.parse(Data(result.stdout.utf8))["invalid"]?.arrayValue?.map { $0["code"]?.stringValue } == ["E503"],
                    "\(result.stdout)")
        }
    }

    @Test func falsifiedSignatureExitsOneWithNpmsJSON() async throws {
        try await InstalledFixture.with { world in
            let mirror = try await world.mirror(FixtureAuditTests.signatureOfOtherVersion)
            defer { Task { [mirror] in await mirror.stop() } }
            let result = try await run(["--prefix", world.project.path, "--registry", mirror.baseURL, "--json"])
            #expect(result.status == 1)
            let json = try JSONValue.parse(Data(result.stdout.utf8))
            #expect(json["invalid"]?.arrayValue?.map { $0["code"]?.stringValue } == ["EINTEGRITYSIGNATURE"])
            #expect(json["missing"]?.arrayValue?.isEmpty == true)
        }
    }

    /// Found by review: in a workspace folder npm works on the workspace root (its tree, its
    /// `.npmrc`), so a run there is refused with where to run instead; a byte order mark or a glob
    /// this reader cannot read does not let it through. An explicit `--prefix` is npm's too.
    @Test(arguments: [#"{"name":"root","workspaces":["packages/*"]}"#, "\u{FEFF}" + #"{"workspaces":["packages/*"]}"#,
                      #"{"workspaces":["packages/*(a|b)"]}"#])
    func aWorkspaceFolderOfAProjectAboveIsRefused(root: String) async throws {
        try await withScratch("audit-workspace-member") { folder in
            try Data(root.utf8).write(to: folder.appendingPathComponent("package.json"))
            let member = folder.appendingPathComponent("packages/a")
            try FileManager.default.createDirectory(at: member, withIntermediateDirectories: true)
            try Data(#"{"name":"a","version":"1.0.0"}"#.utf8).write(to: member.appendingPathComponent("package.json"))
            let verifyInstall = try Products.executable("verify-install")
            let result = try await ProcessRunner.run(verifyInstall, ["audit", "--registry", "http://127.0.0.1:9/"], in: member, isolatedHome: true)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("is the workspace packages/a of"), "\(result.stderr)")
            let explicit = try await run(["--prefix", member.path, "--registry", "http://127.0.0.1:9/"])
            #expect(!explicit.stderr.contains("is the workspace"), "\(explicit.stderr)")
        }
    }

    /// Found by review: a project whose install died in its commit passed without a word.
    @Test func anInterruptedCommitIsNoted() async throws {
        try await InstalledFixture.with { world in
            let staging = world.project.appendingPathComponent(".verify-install-staging-0123456789ABC")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            try Data("journal".utf8).write(to: staging.appendingPathComponent("commit-started"))
            let result = try await run(["--prefix", world.project.path, "--registry", world.registry.baseURL])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("note: \(staging.path) holds the commit of an install that was interrupted"), "\(result.stderr)")
        }
    }

    /// Found by review: a project folder that is not there was "found no installed dependencies"
    /// (exit 1, as if tampered with); it is a project that cannot be read (exit 4).
    @Test func aMissingProjectFolderIsUnreadableNotEmpty() async throws {
        let project = try Scratch.folder("audit-missing-project")
        defer { Scratch.remove(project) }
        let missing = project.appendingPathComponent("nope")
        let result = try await run(["--prefix", missing.path, "--registry", "http://127.0.0.1:9/"])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("the project folder \(missing.path) cannot be read"), "\(result.stderr)")
    }

    /// Under --json a failure is npm's JSON error document on stdout (found by review: stdout was empty).
    @Test func aFailureUnderJSONIsNpmsErrorDocumentOnStdout() async throws {
        let project = try Scratch.folder("audit-json-failure")
        defer { Scratch.remove(project) }
        try Data(#"{"name":"x","version":"1.0.0"}"#.utf8).write(to: project.appendingPathComponent("package.json"))
        let result = try await run(["--prefix", project.path, "--registry", "http://127.0.0.1:9/", "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let document = try JSONValue.parse(Data(result.stdout.utf8))
        #expect(document["error"]?["summary"]?.stringValue == "found no installed dependencies to audit", "\(result.stdout)")
        #expect(document["error"]?["detail"]?.stringValue == "")
        let badRegistry = try await run(["--prefix", project.path, "--registry", "notaurl", "--json"])
        #expect(badRegistry.status == 2)
        #expect(try JSONValue.parse(Data(badRegistry.stdout.utf8))["error"]?["summary"]?.stringValue?.contains("http:// or https://") == true,
                "\(badRegistry.stdout)")
        let badRoot = try await run(["--trusted-root", "/nonexistent/trusted_root.json", "--json"])
        #expect(badRoot.status == 2)
        #expect(try JSONValue.parse(Data(badRoot.stdout.utf8))["error"]?["summary"]?.stringValue?.contains("/nonexistent/trusted_root.json") == true,
                "\(badRoot.stdout)")
    }

    @Test func unreadableTrustedRootIsAUsageError() async throws {
        let result = try await run(["--trusted-root", "/nonexistent/trusted_root.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/trusted_root.json"))
    }

    /// `--policy` with the project's policy format, over real recorded provenance: sigstore-js
    /// meets a policy pinning its repository and tag refs; tuf-js, built elsewhere, does not.
    @Test func policyRefusesAPackageBuiltByAnotherRepository() async throws {
        let data = try RealRegistryData.signedAndAttested()
        let scratch = try ScratchTree("cli-policy")
        defer { scratch.remove() }
        try data.project(in: scratch)
        try scratch.write("verify-policy.json", """
            {"requireProvenance": true, "repository": "https://github.com/sigstore/sigstore-js", "ref": "refs/tags/v*"}
            """)
        let server = try await StaticRegistry.start(try data.documents())
        defer { Task { [server] in await server.stop() } }
        let result = try await run(["--prefix", scratch.url.path, "--registry", server.baseURL,
                                    "--trusted-root", Repository.vector("public-good/trusted_root.json").path,
                                    "--policy", scratch.url.appendingPathComponent("verify-policy.json").path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("1 package has a verified attestation\n"), "a refused package counts as neither")
        #expect(result.stdout.contains("1 package does not meet the provenance policy:\n\ntuf-js@1.0.0 (\(server.baseURL))\n  EPROVENANCEPOLICY: "))
        #expect(result.stdout.contains("https://github.com/theupdateframework/tuf-js"))
        #expect(!result.stdout.contains("tampered"))
    }
}
