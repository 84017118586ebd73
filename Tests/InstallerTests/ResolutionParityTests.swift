import Foundation
import Installer
import SafeJSON
import Tarball
import Testing

/// Found by review against npm 10.8.2's lockfiles: the root's dependency fields replace one another
/// in arborist's order (dev last), an optional root peer is not installed, and an installed package
/// serves a `*` spec whatever its version, or a tag spec whatever version the tag names now
/// (arborist's dep-valid.js), where we had nested a second copy.
@Suite struct ResolutionParityTests {
    @Test func rootFieldsAndReuseFollowArborist() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("foo", "1.0.0")
            try registry.publish("foo", "3.0.0-beta", tags: ["beta"])
            try registry.publish("foo", "2.0.0")
            try registry.publish("opt", "1.0.0")
            try registry.publish("a", "1.0.0", dependencies: ["foo": "*"])
            try registry.publish("b", "1.0.0", dependencies: ["foo": "latest"])
            let project = try TestProject(packageJSON: """
                {"name":"app","version":"1.0.0","dependencies":{"foo":"1.0.0","a":"1.0.0","b":"1.0.0"},
                 "devDependencies":{"foo":"3.0.0-beta"},"peerDependencies":{"opt":"^1"},"peerDependenciesMeta":{"opt":{"optional":true}}}
                """)
            let report = try await project.install(registry)
            #expect(Set(report.packages.map { "\($0.path)@\($0.version)" }) == ["node_modules/foo@3.0.0-beta", "node_modules/a@1.0.0", "node_modules/b@1.0.0"])
        }
    }

    /// x@1 and x@2; p@1 and p@2, whose peer is x at `peer`; q@1, which depends on p@2 and on x at `levelRange`.
    static func publishPeerGraph(_ registry: TestRegistry, peer: String, levelRange: String) throws {
        try registry.publish("x", "1.0.0")
        try registry.publish("x", "2.0.0", tags: ["next"])
        try registry.publish("p", "1.0.0")
        try registry.publish("p", "2.0.0", extra: ["peerDependencies": ["x": .string(peer)]], tags: ["next"])
        try registry.publish("q", "1.0.0", dependencies: ["p": "2.0.0", "x": levelRange])
    }

    /// Found by review: a peer of a nested package, placed beside it, changed what that level had
    /// already resolved (`q` asked for x@^1 and loaded the peer x@2). npm leaves the peer unmet with
    /// an ERESOLVE warning; the tree is refused, and nothing is placed.
    @Test func aPeerThatWouldShadowItsLevelsResolutionIsRefused() async throws {
        try await TestRegistry.with { registry in
            try Self.publishPeerGraph(registry, peer: "2.0.0", levelRange: "^1.0.0")
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"q":"1.0.0","p":"1.0.0","x":"1.0.0"}}"#)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.message.contains("ERESOLVE: p@2.0.0 needs its peer x@2.0.0 beside it in node_modules/q, where x already resolves to another copy") == true,
                    "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }

    /// Found by review: a bundler's bundled names were not in the resolver's tree, so a dependency
    /// placed inside the bundler took the hoisted copy for satisfied while Node loads the bundled
    /// one, outside its range. As npm does, the dependency gets its own copy below it.
    @Test func aDependencyInsideABundlerDoesNotLoadTheBundledCopyOutsideItsRange() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("d", "1.0.0")
            try registry.publish("d", "2.0.0")
            try registry.publish("e", "1.0.0", dependencies: ["d": "^2"], tags: ["one"])
            try registry.publish("e", "2.0.0")
            let bundled = PackFile(path: "node_modules/d/package.json", contents: Data(#"{"name":"d","version":"1.0.0"}"#.utf8))
            try registry.publish("p", "1.0.0", dependencies: ["d": "^1", "e": "^1"], extra: ["bundleDependencies": ["d"]], files: [bundled])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"p":"^1","e":"^2"}}"#)
            let report = try await project.install(registry)
            #expect(Set(report.packages.map { "\($0.path)@\($0.version)" }) == [
                "node_modules/p@1.0.0", "node_modules/e@2.0.0", "node_modules/p/node_modules/e@1.0.0",
                "node_modules/p/node_modules/e/node_modules/d@2.0.0",
            ], "\(report.packages.map { "\($0.path)@\($0.version)" })")
        }
    }

    /// Found by review: `directories.bin` was not expanded, so such a package got no bins (and ci
    /// refused npm's lockfile, which records them). Every file below it is a bin, as npm reads it.
    @Test func directoriesBinIsExpandedAsNpmReadsIt() async throws {
        try await TestRegistry.with { registry in
            let files = [PackFile(path: "bin/foo", contents: Data("#!/usr/bin/env node\n".utf8)), PackFile(path: "bin/sub/bar.js", contents: Data("1\n".utf8)),
                         PackFile(path: "bin/.hidden", contents: Data("1\n".utf8))]
            try registry.publish("tool", "1.0.0", extra: ["directories": ["bin": "./bin"]], files: files)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"tool":"1.0.0"}}"#)
            _ = try await project.install(registry)
            let bin = project.directory.appendingPathComponent("node_modules/.bin")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("foo").path) == "../tool/bin/foo")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin.appendingPathComponent("bar.js").path) == "../tool/bin/sub/bar.js")
            #expect(!FileManager.default.fileExists(atPath: bin.appendingPathComponent(".hidden").path))
        }
    }

    /// Found by review: bins' depth was counted on text (`anode_modules` looked deeper than `zz`).
    @Test func binDepthCountsNamesNotText() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("anode_modules", "1.0.0", extra: ["bin": ["foo": "index.js"]])
            try registry.publish("zz", "1.0.0", extra: ["bin": ["foo": "index.js"]])
            let bins = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"anode_modules":"1.0.0","zz":"1.0.0"}}"#)
            _ = try await bins.install(registry)
            let link = bins.directory.appendingPathComponent("node_modules/.bin/foo")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../anode_modules/index.js")
        }
    }

    /// Found by review: bins were linked in placement order, so a contested name went to another
    /// package than npm gives it. arborist links shallower packages first, then by path.
    @Test func aContestedBinGoesToThePackageNpmGivesIt() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("aaa", "1.0.0", extra: ["bin": ["tool": "index.js"]])
            try registry.publish("zed", "1.0.0", extra: ["bin": ["tool": "index.js"]])
            try registry.publish("abc", "1.0.0", dependencies: ["aaa": "1.0.0"])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"abc":"1.0.0","zed":"1.0.0"}}"#)
            let report = try await project.install(registry)
            #expect(Set(report.packages.map(\.path)) == ["node_modules/aaa", "node_modules/abc", "node_modules/zed"])
            let link = project.directory.appendingPathComponent("node_modules/.bin/tool")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../aaa/index.js")
        }
    }

    /// Found by review: optional peers were dropped unread, so `b` loaded c@1 though its optional
    /// peer range says ^2. Where Node finds one it must meet the range; none is installed for it.
    @Test func anOptionalPeerFoundOutsideItsRangeIsRefused() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("c", "1.0.0")
            try registry.publish("c", "2.0.0", tags: ["next"])
            try registry.publish("b", "1.0.0", extra: ["peerDependencies": ["c": "^2"], "peerDependenciesMeta": ["c": ["optional": true]]])
            let conflicting = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"c":"^1","b":"^1"}}"#)
            let error = await #expect(throws: InstallError.self) { try await conflicting.install(registry) }
            #expect(error?.message.contains("ERESOLVE: b@1.0.0 at node_modules/b takes c@^2 as an optional peer, but c@1.0.0 is installed at node_modules/c") == true,
                    "\(String(describing: error))")
            let alone = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"b":"^1"}}"#)
            #expect(try await alone.install(registry).packages.map(\.path) == ["node_modules/b"], "an optional peer is installed by no one")
        }
    }

    /// Found by review: trees npm builds cleanly were refused. A peer the level's own range takes
    /// (`*`) is placed; a name also declared as a dependency is that dependency's edge; the
    /// project's override replaces an optional peer's range.
    @Test func peersNpmAcceptsAreNotRefused() async throws {
        try await TestRegistry.with { registry in
            try Self.publishPeerGraph(registry, peer: "^2.0.0", levelRange: "*")
            let star = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"q":"1.0.0","p":"1.0.0","x":"1.0.0"}}"#)
            let placed = try await star.install(registry).packages.map { "\($0.path)@\($0.version)" }
            #expect(Set(placed) == ["node_modules/q@1.0.0", "node_modules/x@1.0.0", "node_modules/p@1.0.0", "node_modules/q/node_modules/p@2.0.0",
                                    "node_modules/q/node_modules/x@2.0.0"], "\(placed)")

            try registry.publish("z", "1.0.0", dependencies: ["x": "^1.0.0"],
                                 extra: ["peerDependencies": ["x": "^2.0.0"], "peerDependenciesMeta": ["x": ["optional": true]]])
            let both = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"z":"1.0.0"}}"#)
            #expect(try await both.install(registry).packages.count == 2, "z's dependency on x wins over its optional peer")
            try registry.publish("w", "1.0.0", extra: ["peerDependencies": ["x": "^2.0.0"], "peerDependenciesMeta": ["x": ["optional": true]]])
            let overridden = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"w":"1.0.0","x":"1.0.0"},"overrides":{"x":"1.0.0"}}"#)
            #expect(try await overridden.install(registry).packages.count == 2, "the override replaces the optional peer's range")
        }
    }

    /// npm refuses a tree whose peer conflicts with what sits beside the dependent (ERESOLVE); we
    /// nested a second copy under the dependent and reported success.
    @Test func aConflictingPeerIsRefusedAsNpmRefusesIt() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("react", "17.0.0")
            try registry.publish("react", "18.0.0")
            try registry.publish("lib", "1.0.0", extra: ["peerDependencies": ["react": "^18"]])
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"lib":"1.0.0","react":"17.0.0"}}"#)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry) }
            #expect(error?.message.contains("ERESOLVE: lib@1.0.0 needs its peer react@^18, but react@17.0.0 is installed at node_modules/react") == true,
                    "\(String(describing: error))")
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }
}
