import CurlTransport
import Foundation
import Installer
import NpmModel
import SafeJSON
import Testing

/// `ci` against hostile lockfiles: each test edits a genuine lockfile the way an attacker would
/// and expects exit 1 naming the package, with node_modules left exactly as it was.
@Suite struct LockfileAttackTests {
    /// Installs `basic`, lets `edit` rewrite package-lock.json, runs `ci`; returns the error and proves nothing changed.
    func ciAfterEditing(_ registry: TestRegistry, _ edit: (inout [String: JSONValue]) throws -> Void) async throws -> InstallError? {
        let project = try TestProject(copying: "basic")
        try await project.install(registry)
        let lockURL = project.directory.appendingPathComponent("package-lock.json")
        guard case .object(var root) = try JSONValue.parse(try Data(contentsOf: lockURL)),
              case .object(var packages)? = root["packages"] else { throw LockEditError() }
        try edit(&packages)
        root["packages"] = .object(packages)
        try JSONValue.object(root).serialized(pretty: true).write(to: lockURL)
        let before = project.snapshot()
        let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
        #expect(project.snapshot() == before, "a failed ci must leave node_modules as it was")
        return error
    }

    @Test func lockfileIntegrityWithTwoSHA512DigestsIsRefusedEvenWhenTheOtherHostServesMatchingBytes() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            try await TestRegistry.with { other in
                // Another loopback host serves other bytes for the same name and version.
                try other.publish("@mochi/runtime", "1.2.0", extra: ["description": "not the genuine package"])
                let (otherIntegrity, otherTarball) = try await Self.dist(of: other, "@mochi/runtime", "1.2.0")
                let error = try await ciAfterEditing(registry) { packages in
                    guard case .object(var entry)? = packages["node_modules/@mochi/runtime"],
                          let genuine = entry["integrity"]?.stringValue else { throw LockEditError() }
                    entry["integrity"] = .string("\(genuine) \(otherIntegrity)")
                    entry["resolved"] = .string(otherTarball)
                    packages["node_modules/@mochi/runtime"] = .object(entry)
                }
                #expect(error?.exitCode == 1)
                #expect(error?.message.contains("@mochi/runtime@1.2.0") == true)
                #expect(error?.message.contains("two sha512 digests") == true)
            }
        }
    }

    /// A git, file or URL dependency (or an alias to another package) must not be satisfied by a
    /// registry package of that name: that is dependency confusion, whatever its signatures say.
    @Test(arguments: ["github:mochi-lang/example#v1.1.0", "file:../vendor/example", "https://git.example.test/example-1.1.0.tgz",
                      "npm:@mochi/runtime@^1.0.0"])
    func aNonRegistryDependencyIsNotSatisfiedByARegistryPackage(_ spec: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            try await project.install(registry)
            let manifest = project.directory.appendingPathComponent("package.json")
            let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "\"^1.0.0\"", with: "\"\(spec)\"")
            try Data(text.utf8).write(to: manifest)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            let lock = try String(contentsOf: lockURL, encoding: .utf8)
                .replacingOccurrences(of: "\"@mochi/example\": \"^1.0.0\"", with: "\"@mochi/example\": \"\(spec)\"")
            try Data(lock.utf8).write(to: lockURL)
            let before = project.snapshot()
            let error = await #expect(throws: InstallError.self) { try await project.ci(registry) }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/example@\(spec)") == true, "\(String(describing: error))")
            #expect(project.snapshot() == before)
        }
    }

    /// Found by review: resolving an edge walks up its path, so a chain nested 1200 levels deep took
    /// 40 s before any request. Deeper than the resolver's own limit is refused at once.
    @Test func aLockfileNestedDeeperThanTheResolverAllowsIsRefused() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let error = try await ciAfterEditing(registry) { packages in
                let deep = (0...64).map { "node_modules/a\($0)" }.joined(separator: "/")
                packages[deep] = ["version": "1.0.0", "resolved": "http://127.0.0.1:9/a/-/a-1.0.0.tgz", "integrity": "sha512-AAAA"]
            }
            #expect(error?.exitCode == 2)
            #expect(error?.message.contains("nests deeper than 64 levels") == true, "\(error?.message ?? "accepted")")
        }
    }

    @Test func lockedVersionThatDoesNotSatisfyItsDeclaredRangeIsRefused() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let (integrity, tarball) = try await Self.dist(of: registry, "@mochi/example", "2.0.0-beta.1")
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/example"] else { throw LockEditError() }
                entry["version"] = "2.0.0-beta.1"
                entry["integrity"] = .string(integrity)
                entry["resolved"] = .string(tarball)
                packages["node_modules/@mochi/example"] = .object(entry)
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("@mochi/example@^1.0.0") == true)
            #expect(error?.message.contains("2.0.0-beta.1") == true)
        }
    }

    @Test func extraneousLockfileEntryIsRefused() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let (integrity, tarball) = try await Self.dist(of: registry, "@mochi/compat", "1.1.0")
            let error = try await ciAfterEditing(registry) { packages in
                packages["node_modules/@mochi/compat"] = .object(["version": "1.1.0", "resolved": .string(tarball),
                                                                   "integrity": .string(integrity), "license": "MIT"])
            }
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("node_modules/@mochi/compat") == true)
            #expect(error?.message.contains("extraneous") == true)
        }
    }

    @Test func binsComeFromTheVerifiedTarballNotFromTheLockfile() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(copying: "basic")
            #expect(try await project.install(registry).warnings.isEmpty)
            let lockURL = project.directory.appendingPathComponent("package-lock.json")
            let original = try String(contentsOf: lockURL, encoding: .utf8)
            // A lockfile-only bin that would link `node_modules/.bin/evil` to a file the package never declared.
            let text = original.replacingOccurrences(of: "\"version\": \"1.1.0\",", with: "\"version\": \"1.1.0\",\n      \"bin\": {\"evil\": \"dist/index.js\"},")
            #expect(text != original, "the edit must apply, or the test proves nothing")
            try Data(text.utf8).write(to: lockURL)
            try FileManager.default.removeItem(at: project.directory.appendingPathComponent("node_modules"))
            let report = try await project.ci(registry)
            let bin = project.directory.appendingPathComponent("node_modules/.bin/evil")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: bin.path)) == nil)
            #expect(report.warnings.filter { $0.contains("the bins given for it") }.sorted() == [
                "@mochi/example@1.1.0: the bins given for it (evil -> dist/index.js) differ from its own package.json (none); linked its own"], "\(report.warnings)")
        }
    }

    /// `dist.integrity` and `dist.tarball` of `name@version` as `registry` serves them.
    static func dist(of registry: TestRegistry, _ name: String, _ version: String) async throws -> (String, String) {
        let curl = try CurlHTTPClient()
        defer { curl.shutdown() }
        let response = try await curl.send(HTTPRequest(url: registry.url + name.replacingOccurrences(of: "/", with: "%2f")))
        let dist = try JSONValue.parse(response.body)["versions"]?[version]?["dist"]
        guard let integrity = dist?["integrity"]?.stringValue, let tarball = dist?["tarball"]?.stringValue else { throw LockEditError() }
        return (integrity, tarball)
    }
}

struct LockEditError: Error {}
