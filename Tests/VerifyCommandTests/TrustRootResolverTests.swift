import FixtureTesting
import Foundation
import Testing
import NpmVerify

/// `--trusted-root public-good` and the registry keys, resolved from a fake npm cache and a
/// fake npm CLI seeds file in a temporary folder (never the real HOME).
@Suite struct TrustRootResolverTests {
    /// A temporary world: `cache/_tuf/.../targets/` and `global/npm/node_modules/@sigstore/tuf/seeds.json`.
    struct FakeNpm {
        let root: URL
        var cache: URL { root.appendingPathComponent("cache") }
        var global: URL { root.appendingPathComponent("global") }
        var targets: URL { cache.appendingPathComponent("_tuf/tuf-repo-cdn.sigstore.dev/targets") }
        var seeds: URL { global.appendingPathComponent("npm/node_modules/@sigstore/tuf/seeds.json") }
        var bin: URL { root.appendingPathComponent("bin") }

        init() throws {
            root = try Scratch.folder("fake-npm")
        }

        func writeCacheTarget(_ name: String, _ data: Data) throws {
            try FileManager.default.createDirectory(at: targets, withIntermediateDirectories: true)
            try data.write(to: targets.appendingPathComponent(name))
        }

        func writeSeeds(_ targets: [String: Data]) throws {
            try FileManager.default.createDirectory(at: seeds.deletingLastPathComponent(), withIntermediateDirectories: true)
            let entries = targets.map { "\"\($0.key)\":\"\($0.value.base64EncodedString())\"" }.joined(separator: ",")
            try Data("{\"https://tuf-repo-cdn.sigstore.dev\":{\"root.json\":\"e30=\",\"targets\":{\(entries)}}}".utf8).write(to: seeds)
        }

        /// A fake `npm` on PATH whose `npm root -g` prints `global`.
        func writeFakeNpmBinary() throws {
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let script = bin.appendingPathComponent("npm")
            try Data("#!/bin/sh\necho '\(global.path)'\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }

        func resolver() -> TrustRootResolver {
            let global = global
            return TrustRootResolver(npmCache: cache, npmGlobalRoot: { global })
        }

        func remove() { Scratch.remove(root) }
    }

    @Test func cacheTargetWinsOverSeeds() throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        try npm.writeCacheTarget("trusted_root.json", Data("cache".utf8))
        try npm.writeSeeds(["trusted_root.json": Data("seed".utf8)])
        let resolved = try npm.resolver().trustedRoot("public-good")
        #expect(resolved.data == Data("cache".utf8))
        #expect(resolved.source == .npmCache(npm.targets.appendingPathComponent("trusted_root.json")))
        #expect(resolved.source.description.contains("npm cache"))
    }

    @Test func seedsAreTheFallbackAndNilMeansPublicGood() throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        try npm.writeSeeds(["trusted_root.json": Data("seed".utf8), "registry.npmjs.org%2Fkeys.json": Data("keys".utf8)])
        let root = try npm.resolver().trustedRoot(nil)
        #expect(root.data == Data("seed".utf8))
        #expect(root.source == .npmSeeds(npm.seeds))
        #expect(try npm.resolver().registryKeys(nil).data == Data("keys".utf8))
    }

    @Test func anExplicitFileIsUsedAsIs() throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        let file = npm.root.appendingPathComponent("root.json")
        try Data("file".utf8).write(to: file)
        let resolved = try npm.resolver().trustedRoot(file.path)
        #expect(resolved.source == .file(file))
        #expect(throws: TrustRootError.self) { try npm.resolver().trustedRoot(npm.root.appendingPathComponent("missing.json").path) }
    }

    @Test func neitherSourceIsAClearError() throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        do {
            _ = try npm.resolver().trustedRoot("public-good")
            Issue.record("expected notFound")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains(npm.targets.path) && error.message.contains(npm.seeds.path), "\(error)")
        }
        let noNpm = TrustRootResolver(npmCache: nil, npmGlobalRoot: { nil })
        #expect(throws: TrustRootError.self) { try noNpm.registryKeys(nil) }
    }

    @Test func malformedSeedsAreRefused() throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        try FileManager.default.createDirectory(at: npm.seeds.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"https://other\":{}}".utf8).write(to: npm.seeds)
        do { _ = try npm.resolver().trustedRoot(nil); Issue.record("expected malformedSeeds") } catch { #expect(error.code == .malformedSeeds) }
    }

    @Test func environmentPicksNpmConfigCacheThenHome() {
        let fromConfig = TrustRootResolver.fromEnvironment(["npm_config_cache": "/x/cache", "HOME": "/home/u"])
        #expect(fromConfig.tufTargets?.path == "/x/cache/_tuf/tuf-repo-cdn.sigstore.dev/targets")
        #expect(TrustRootResolver.fromEnvironment(["HOME": "/home/u"]).npmCache?.path == "/home/u/.npm")
    }

    /// The whole path through the CLI: defaults come from the fake npm cache, then from the fake npm CLI's seeds.
    @Test func verifyAttestationsUsesNpmTrustByDefault() async throws {
        let npm = try FakeNpm(); defer { npm.remove() }
        let root = try Data(contentsOf: CLIPaths.publicGoodRoot), keys = try Data(contentsOf: CLIPaths.publicGoodKeys)
        let arguments = ["verify-attestations", CLIPaths.vector("npm-real/npm-cli/valid-sigstore-attestations.json").path,
                         "--package", "sigstore@1.0.0", "--integrity",
                         "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg=="]
        try npm.writeFakeNpmBinary()
        let environment = ["npm_config_cache": npm.cache.path, "PATH": npm.bin.path]

        try npm.writeSeeds(["trusted_root.json": root, "registry.npmjs.org%2Fkeys.json": keys])
        let seeded = try await CLIProcess.run(arguments, environment: environment)
        #expect(seeded.status == 0, "\(seeded.stdout) \(seeded.stderr)")
        #expect(seeded.stderr.contains("trusted root: npm CLI embedded TUF seeds"), "\(seeded.stderr)")

        try npm.writeCacheTarget("trusted_root.json", root)
        try npm.writeCacheTarget("registry.npmjs.org%2Fkeys.json", keys)
        let cached = try await CLIProcess.run(arguments, environment: environment)
        #expect(cached.status == 0, "\(cached.stdout) \(cached.stderr)")
        #expect(cached.stderr.contains("trusted root: npm cache TUF target"), "\(cached.stderr)")
        #expect(cached.stderr.contains("registry keys: npm cache TUF target"), "\(cached.stderr)")
    }
}
