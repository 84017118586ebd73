import FixtureTesting
import Foundation
import SafeJSON
import Testing
@testable import FixtureRegistry

/// The real npm CLI publishes to, views, tags, deprecates and unpublishes on the fixture registry,
/// with only `--registry` and a token in a project `.npmrc`; its refusals print npm's messages.
@Suite("The real npm CLI publishes to the fixture registry", .requires(.npm))
struct NpmPublishWitnessTests {
    /// A registry with ``testConfig``, npm in a scratch folder, and a package folder with a project `.npmrc` holding `token`.
    private func withNpm(prefix: String = "/", token: @escaping (RegistryStorage) throws -> String,
                         _ body: (NpmCLI, RunningRegistry, URL, [String]) async throws -> Void) async throws {
        try await withScratch { folder in
            let npm = try NpmCLI(executable: try #require(NpmCLI.executable), scratch: folder)
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("storage"), config: testConfig)
            let registry = try await FixtureRegistryServer.start(storage: storage, pathPrefix: prefix)
            let package = folder.appendingPathComponent("package")
            try writePackageFolder(package, name: "witness-pkg", version: "1.0.0")
            let authority = registry.baseURL.replacingOccurrences(of: "http:", with: "")
            let npmrc = "registry=\(registry.baseURL)\n\(authority):_authToken=\(try token(storage))\n"
            for dir in [package, npm.project] { try Data(npmrc.utf8).write(to: dir.appendingPathComponent(".npmrc")) }
            let common = ["--registry", registry.baseURL, "--cache", npm.cachePath, "--fetch-retries", "0"]
            do {
                try await body(npm, registry, package, common)
                await registry.stop()
            } catch {
                await registry.stop()
                throw error
            }
        }
    }

    @Test func publishViewTagDeprecateInstallUnpublish() async throws {
        try await withNpm(token: { try $0.tokens.mint(user: "alice") }) { npm, _, package, common in
            let whoami = try await npm.run(["whoami"] + common, in: package)
            #expect(whoami.status == 0 && whoami.output.contains("alice"), "\(whoami.output)")

            let first = try await npm.run(["publish"] + common, in: package)
            #expect(first.status == 0, "npm publish failed:\n\(first.output)")
            #expect(first.output.contains("+ witness-pkg@1.0.0"), "\(first.output)")
            let again = try await npm.run(["publish"] + common, in: package)
            #expect(again.status != 0)
            #expect(again.output.contains("You cannot publish over the previously published versions: 1.0.0."), "\(again.output)")

            try writePackageFolder(package, name: "witness-pkg", version: "1.1.0")
            #expect(try await npm.run(["publish"] + common, in: package).status == 0)
            let view = try await npm.run(["view", "witness-pkg", "--json"] + common)
            #expect(view.status == 0, "\(view.output)")
            #expect(view.output.contains("\"latest\": \"1.1.0\""), "\(view.output)")
            #expect(view.output.contains("\"1.0.0\",") && view.output.contains("\"_npmUser\": \"alice <alice@fixture.test>\""), "\(view.output)")

            let add = try await npm.run(["dist-tag", "add", "witness-pkg@1.0.0", "old"] + common, in: package)
            #expect(add.status == 0 && add.output.contains("+old: witness-pkg@1.0.0"), "\(add.output)")
            let list = try await npm.run(["dist-tag", "ls", "witness-pkg"] + common, in: package)
            #expect(list.output.contains("old: 1.0.0") && list.output.contains("latest: 1.1.0"), "\(list.output)")
            let remove = try await npm.run(["dist-tag", "rm", "witness-pkg", "old"] + common, in: package)
            #expect(remove.status == 0 && remove.output.contains("-old: witness-pkg@1.0.0"), "\(remove.output)")

            let deprecate = try await npm.run(["deprecate", "witness-pkg@1.0.0", "use 1.1.0 instead"] + common, in: package)
            #expect(deprecate.status == 0, "\(deprecate.output)")
            let install = try await npm.install(["witness-pkg@1.0.0"], registry: common[1])
            #expect(install.status == 0, "\(install.output)")
            #expect(install.output.contains("deprecated witness-pkg@1.0.0: use 1.1.0 instead"), "\(install.output)")
            #expect(npm.installedVersion("witness-pkg") == "1.0.0")

            let unpublish = try await npm.run(["unpublish", "witness-pkg@1.1.0"] + common, in: package)
            #expect(unpublish.status == 0 && unpublish.output.contains("- witness-pkg@1.1.0"), "\(unpublish.output)")
            let after = try await npm.run(["view", "witness-pkg", "versions", "--json"] + common)
            #expect(after.output.contains("1.0.0") && !after.output.contains("1.1.0"), "\(after.output)")
        }
    }

    @Test func scopedPublishInstallAndWholePackageUnpublish() async throws {
        try await withNpm(token: { try $0.tokens.mint(user: "alice", restriction: "@owned") }) { npm, registry, package, common in
            try writePackageFolder(package, name: "@owned/witness", version: "2.0.0")
            let publish = try await npm.run(["publish", "--access", "public"] + common, in: package)
            #expect(publish.status == 0 && publish.output.contains("+ @owned/witness@2.0.0"), "\(publish.output)")
            let install = try await npm.install(["@owned/witness"], registry: registry.baseURL)
            #expect(install.status == 0, "\(install.output)")
            #expect(npm.installedVersion("@owned/witness") == "2.0.0")
            let signatures = try await npm.run(["view", "@owned/witness", "dist.signatures", "--json"] + common)
            #expect(signatures.output.contains(registry.storage.keyring.currentKeyID), "\(signatures.output)")
            let unpublish = try await npm.run(["unpublish", "@owned/witness", "--force"] + common, in: package)
            #expect(unpublish.status == 0 && unpublish.output.contains("- @owned/witness"), "\(unpublish.output)")
            let gone = try await npm.run(["view", "@owned/witness", "--json"] + common)
            #expect(gone.status != 0 && gone.output.contains("E404"), "\(gone.output)")
        }
    }

    @Test func publishAndInstallUnderAPathPrefix() async throws {
        try await withNpm(prefix: "/npm/", token: { try $0.tokens.mint(user: "bob") }) { npm, registry, package, common in
            #expect(registry.baseURL.hasSuffix("/npm/"))
            let publish = try await npm.run(["publish"] + common, in: package)
            #expect(publish.status == 0, "\(publish.output)")
            let install = try await npm.install(["witness-pkg"], registry: registry.baseURL)
            #expect(install.status == 0, "\(install.output)")
            #expect(npm.installedVersion("witness-pkg") == "1.0.0")
            let tarball = try await npm.run(["view", "witness-pkg", "dist.tarball"] + common)
            #expect(tarball.output.contains("\(registry.baseURL)witness-pkg/-/witness-pkg-1.0.0.tgz"), "\(tarball.output)")
        }
    }

    @Test func aWrongTokenIsRefusedWithNpmsMessage() async throws {
        try await withNpm(token: { _ in "npm_not-a-token-of-this-registry" }) { npm, _, package, common in
            let publish = try await npm.run(["publish"] + common, in: package)
            #expect(publish.status != 0)
            #expect(publish.output.contains("401 Unauthorized - PUT") && publish.output.contains("E401"), "\(publish.output)")
            let whoami = try await npm.run(["whoami"] + common, in: package)
            #expect(whoami.status != 0, "\(whoami.output)")
        }
    }
}
