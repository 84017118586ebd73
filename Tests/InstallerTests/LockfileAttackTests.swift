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

    /// Found by review: npm ci links the bins the lockfile entry names, so a lockfile-only bin
    /// (`.bin/evil`, or `.bin/ls` on the scripts' PATH) is refused, not linked differently.
    @Test func ciRefusesBinsTheVerifiedTarballDoesNotDeclare() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/example"] else { throw LockEditError() }
                entry["bin"] = ["evil": "dist/index.js"]
                packages["node_modules/@mochi/example"] = .object(entry)
            }
            #expect(error?.message.contains("@mochi/example@1.1.0 at node_modules/@mochi/example: the bins given for it (evil -> dist/index.js) differ from its own package.json (none): npm ci would link the lockfile's") == true, "\(String(describing: error))")
        }
    }

    /// Found by a re-attack: npm ci links a string or list `bin` under names it derives, and of
    /// names that normalise alike the one later in the document; we read them otherwise.
    @Test(arguments: [JSONValue.string("dist/index.js"), JSONValue.array(["x/../ls/../dist/index.js"]),
                      JSONValue.object(["tool": "dist/index.js", "a:tool": "package.json"])])
    func ciRefusesABinNpmReadsOtherwiseThanItIsWritten(bin: JSONValue) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/runtime"] else { throw LockEditError() }
                entry["bin"] = bin
                packages["node_modules/@mochi/runtime"] = .object(entry)
            }
            #expect(error?.message.contains("has a bin field npm reads otherwise than it is written") == true, "\(String(describing: error))")
        }
    }

    /// Found by review: an extraneous entry inside a placed package's folder that names a source is
    /// fetched and installed by npm ci, scripts and all; it is refused, not left out with a note.
    @Test func ciRefusesAnExtraneousEntryNamingASourceInsideAPackage() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let (integrity, tarball) = try await Self.dist(of: registry, "@mochi/compat", "1.1.0")
            let error = try await ciAfterEditing(registry) { packages in
                packages["node_modules/@mochi/example/node_modules/@mochi/compat"] = .object(["version": "1.1.0", "resolved": .string(tarball),
                                                                                           "integrity": .string(integrity), "extraneous": true])
            }
            #expect(error?.message.contains("node_modules/@mochi/example/node_modules/@mochi/compat (1.1.0) is extraneous") == true, "\(String(describing: error))")
        }
    }

    /// Found by a re-attack: a dependency the lockfile alone gives a package lets npm ci place an
    /// extra registry package (which took over a `.bin` name); it is refused.
    @Test func ciRefusesADependencyTheRegistryManifestDoesNotDeclare() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let (integrity, tarball) = try await Self.dist(of: registry, "@mochi/compat", "1.1.0")
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/runtime"] else { throw LockEditError() }
                entry["dependencies"] = ["@mochi/compat": "*"]
                packages["node_modules/@mochi/runtime"] = .object(entry)
                packages["node_modules/@mochi/compat"] = .object(["version": "1.1.0", "resolved": .string(tarball), "integrity": .string(integrity)])
            }
            #expect(error?.message.contains("gives it a dependency on @mochi/compat that the registry's manifest of that version does not declare") == true, "\(String(describing: error))")
        }
    }

    /// Found by review: what npm ci takes from an entry alone (its load-virtual makes the entry the
    /// package) is refused before anything is fetched.
    @Test(arguments: [
        ("scripts", JSONValue.object(["postinstall": "node -e 'pwned'"]), "carries scripts ({\"postinstall\":\"node -e 'pwned'\"}), which npm ci would run"),
        ("link", JSONValue.bool(true), "is a link (link: true)"),
        ("hasShrinkwrap", JSONValue.bool(true), "has its own npm-shrinkwrap.json (hasShrinkwrap)"),
        ("_hasShrinkwrap", JSONValue.string("yes"), "has its own npm-shrinkwrap.json (hasShrinkwrap)"),
    ])
    func ciRefusesWhatNpmCiReadsFromTheLockfileAlone(field: String, value: JSONValue, expected: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/runtime"] else { throw LockEditError() }
                entry[field] = value
                packages["node_modules/@mochi/runtime"] = .object(entry)
            }
            #expect(error?.message.contains("@mochi/runtime@1.2.0 at node_modules/@mochi/runtime \(expected)") == true, "\(String(describing: error))")
        }
    }

    /// Found by review: libcurl drops a fragment and resolves dot segments, while npm read the
    /// same `resolved` of a link entry as a path climbing back into the project.
    @Test(arguments: ["#/../../node_modules/x", "/../@mochi/runtime/-/runtime-1.2.0.tgz", "/%2E%2E/x.tgz"])
    func ciRefusesResolvedURLsWithFragmentsOrDotSegments(suffix: String) async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let error = try await ciAfterEditing(registry) { packages in
                guard case .object(var entry)? = packages["node_modules/@mochi/runtime"], let resolved = entry["resolved"]?.stringValue else { throw LockEditError() }
                entry["resolved"] = .string(suffix.hasPrefix("#") ? resolved + suffix : registry.url + "@mochi" + suffix)
                packages["node_modules/@mochi/runtime"] = .object(entry)
            }
            #expect(error?.message.contains("which npm does not read as a tarball URL") == true, "\(String(describing: error))")
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
