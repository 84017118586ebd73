import FixtureTesting
import Foundation
import Testing

@testable import FixtureSigstore
@testable import FixtureTUF

/// The real npm on this machine (10.8.2) refreshes its Sigstore TUF state through the fixture
/// proxy, fully offline, and trusts what the fixture repository lists (PROTOCOLS §8.8).
@Suite(.serialized) struct NpmTUFWitnessTests {
    struct Run {
        let directory: URL
        let cache: URL
        let project: URL
        let environment: [String: String]
        let fixture: TUFMirrorFixture
        let registry: TUFWitnessRegistryStub
        let npm: URL
    }

    /// Starts a registry stub and the TUF mirror fixture, installs the stub's package into a fresh project.
    static func withInstalledProject(keysViaTUF: Bool, attestation: Bool = false, _ body: (Run) async throws -> Void) async throws {
        guard let npm = ProcessRunner.which("npm") else {
            Issue.record("npm is not installed; the witness needs the real npm CLI")
            return
        }
        let dir = try Scratch.folder("tuf-test")
        defer { Scratch.remove(dir) }
        let registry = TUFWitnessRegistryStub()
        let registryPort = try await registry.start()
        var targets = ["trusted_root.json": TUFTestSupport.trustedRoot]
        if keysViaTUF { targets["127.0.0.1:\(registryPort)/keys.json"] = registry.tufKeysTarget }
        try registry.publish(tarball: try await makeTarball(in: dir, name: registry.name, version: registry.version),
                             port: registryPort, serveKeys: !keysViaTUF, attestation: attestation)
        let fixture = try TUFMirrorFixture(directory: dir.appendingPathComponent("world"), targetFiles: targets, now: Date())
        try await fixture.start()
        let cache = dir.appendingPathComponent("cache"), home = dir.appendingPathComponent("home"),
            project = dir.appendingPathComponent("project")
        for folder in [cache, home, project] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data(#"{"name":"witness-project","version":"1.0.0","private":true}"#.utf8).write(to: project.appendingPathComponent("package.json"))
        var environment = try fixture.npmEnvironment(cache: cache)
        environment["HOME"] = home.path
        environment["npm_config_registry"] = "http://127.0.0.1:\(registryPort)/"
        environment["npm_config_update_notifier"] = "false"
        environment["npm_config_audit"] = "false"
        environment["npm_config_fund"] = "false"
        let run = Run(directory: dir, cache: cache, project: project, environment: environment,
                      fixture: fixture, registry: registry, npm: npm)
        do {
            let install = try await ProcessRunner.run(npm, ["install", "--fetch-retries=0", registry.name], in: project, environment: environment)
            #expect(install.status == 0, "npm install failed:\n\(install.stdout)\n\(install.stderr)")
            try await body(run)
        } catch {
            try? await fixture.stop()
            try? await registry.stop()
            throw error
        }
        try await fixture.stop()
        try await registry.stop()
    }

    static func makeTarball(in dir: URL, name: String, version: String) async throws -> Data {
        let source = dir.appendingPathComponent("pkgsrc/package")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data(#"{"name":"\#(name)","version":"\#(version)","main":"index.js"}"#.utf8).write(to: source.appendingPathComponent("package.json"))
        try Data("module.exports = 42;\n".utf8).write(to: source.appendingPathComponent("index.js"))
        let tgz = dir.appendingPathComponent("\(name)-\(version).tgz")
        let tar = try #require(ProcessRunner.which("tar"))
        let result = try await ProcessRunner.run(tar, ["-czf", tgz.path, "-C", dir.appendingPathComponent("pkgsrc").path, "package"])
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: tgz)
    }

    static func tufPaths(_ fixture: TUFMirrorFixture) -> [String] {
        fixture.proxy.records.filter { $0.kind == .tunneled }.map(\.target)
    }

    /// Registry keys come only through TUF (the stub has no `/-/npm/v1/keys`): npm must have
    /// refreshed the fixture metadata and downloaded the keys target through the proxy.
    @Test func npmAuditSignaturesGetsRegistryKeysThroughFixtureTUF() async throws {
        try await Self.withInstalledProject(keysViaTUF: true) { run in
            let audit = try await ProcessRunner.run(run.npm, ["audit", "signatures", "--fetch-retries=0"],
                                                    in: run.project, environment: run.environment)
            #expect(audit.status == 0, "npm audit signatures:\n\(audit.stdout)\n\(audit.stderr)")
            #expect(audit.stdout.contains("1 package has a verified registry signature"), "\(audit.stdout)\n\(audit.stderr)")
            let paths = Self.tufPaths(run.fixture)
            #expect(paths.contains("/2.root.json"))
            #expect(paths.contains("/timestamp.json"))
            #expect(paths.contains("/targets/127.0.0.1:\(Self.port(run))/keys.json"), "\(paths)")
            #expect(!run.registry.records.contains { $0.target == "/-/npm/v1/keys" })
            #expect(run.fixture.proxy.records.filter { $0.kind == .connect }.allSatisfy { $0.host == "tuf-repo-cdn.sigstore.dev:443" })

            // npm's own Sigstore TUF client (what `sigstore.verify` calls) now fetches trusted_root.json the same way.
            let trustedRoot = try await Self.fetchTrustedRootWithNpmsClient(run)
            #expect(trustedRoot.status == 0, "\(trustedRoot.stdout)\n\(trustedRoot.stderr)")
            #expect(trustedRoot.stdout.contains("mediaType=application/vnd.dev.sigstore.trustedroot+json;version=0.1"))
            let cached = TUFRepository.npmTUFDirectory(cache: run.cache).appendingPathComponent("targets/trusted_root.json")
            #expect(FileManager.default.contents(atPath: cached.path) == TUFTestSupport.trustedRoot)
            #expect(Self.tufPaths(run.fixture).contains("/targets/trusted_root.json"))
        }
    }

    /// The brief's shape: keys from `/-/npm/v1/keys`, only the root seeded; npm still refreshes through the proxy.
    @Test func npmAuditSignaturesRefreshesThroughTheProxyWithRegistryKeys() async throws {
        try await Self.withInstalledProject(keysViaTUF: false) { run in
            let audit = try await ProcessRunner.run(run.npm, ["audit", "signatures", "--fetch-retries=0"],
                                                    in: run.project, environment: run.environment)
            #expect(audit.status == 0, "npm audit signatures:\n\(audit.stdout)\n\(audit.stderr)")
            #expect(audit.stdout.contains("1 package has a verified registry signature"), "\(audit.stdout)\n\(audit.stderr)")
            #expect(Self.tufPaths(run.fixture).starts(with: ["/2.root.json", "/timestamp.json", "/snapshot.json", "/targets.json"]),
                    "\(Self.tufPaths(run.fixture))")
            #expect(run.registry.records.contains { $0.target == "/-/npm/v1/keys" && $0.status == 200 })
            let tufDir = TUFRepository.npmTUFDirectory(cache: run.cache)
            #expect(FileManager.default.contents(atPath: tufDir.appendingPathComponent("timestamp.json").path) == run.fixture.repository.timestamp)
        }
    }

    /// The npm CLI itself downloads `trusted_root.json` through the proxy when it verifies an attestation
    /// (`sigstore.verify` fetches the trusted root first); the stub's attestation has no valid tlog entry,
    /// so npm then reports it invalid against our (empty) trusted root and exits 1.
    @Test func npmItselfDownloadsTheTrustedRootWhenVerifyingAnAttestation() async throws {
        try await Self.withInstalledProject(keysViaTUF: true, attestation: true) { run in
            let audit = try await ProcessRunner.run(run.npm, ["audit", "signatures", "--fetch-retries=0"],
                                                    in: run.project, environment: run.environment)
            let printed = "npm printed:\n\(audit.stdout)\n\(audit.stderr)\nproxy: \(run.fixture.proxy.records)"
            #expect(audit.status == 1, "\(printed)")
            #expect(audit.stdout.contains("1 package has an invalid attestation"), "\(printed)")
            #expect(run.registry.records.contains { $0.target == "/-/npm/v1/attestations/tuf-witness@1.0.0" && $0.status == 200 })
            #expect(run.fixture.proxy.records.contains { $0.target == "/targets/trusted_root.json" && $0.status == 200 }, "\(printed)")
            let cached = TUFRepository.npmTUFDirectory(cache: run.cache).appendingPathComponent("targets/trusted_root.json")
            #expect(FileManager.default.contents(atPath: cached.path) == TUFTestSupport.trustedRoot)
        }
    }

    /// Without the fixture CA, npm cannot reach the mirror and fails closed (PROTOCOLS §8.7a).
    @Test func npmFailsWithoutTheFixtureCA() async throws {
        try await Self.withInstalledProject(keysViaTUF: false) { run in
            var environment = run.environment
            environment["NODE_EXTRA_CA_CERTS"] = run.directory.appendingPathComponent("no-such-ca.pem").path
            let audit = try await ProcessRunner.run(run.npm, ["audit", "signatures", "--fetch-retries=0"],
                                                    in: run.project, environment: environment)
            #expect(audit.status != 0)
            #expect(!audit.stdout.contains("verified registry signature"))
            #expect(audit.stderr.contains("request to https://tuf-repo-cdn.sigstore.dev/timestamp.json failed, reason: self-signed certificate in certificate chain"), "npm printed:\n\(audit.stdout)\n\(audit.stderr)")
        }
    }

    static func port(_ run: Run) -> Int {
        Int(run.environment["npm_config_registry"]!.split(separator: ":").last!.trimmingCharacters(in: CharacterSet(charactersIn: "/")))!
    }

    static func fetchTrustedRootWithNpmsClient(_ run: Run) async throws -> ProcessResult {
        let node = try #require(ProcessRunner.which("node"))
        let npmRoot = try #require(TUFTestSupport.npmGlobalRoot())
        let script = """
        const tuf = require(process.argv[1] + '/npm/node_modules/@sigstore/tuf');
        tuf.getTrustedRoot({ cachePath: process.argv[2], retry: { retries: 0 }, forceCache: false })
          .then((root) => { console.log('mediaType=' + root.mediaType); })
          .catch((e) => { console.error(e.code, e.message, e.cause && e.cause.message); process.exit(1); });
        """
        return try await ProcessRunner.run(node, ["-e", script, npmRoot, run.cache.appendingPathComponent("_tuf").path],
                                           environment: run.environment)
    }
}
