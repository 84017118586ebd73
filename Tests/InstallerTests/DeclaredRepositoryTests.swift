import CurlTransport
import FixtureTesting
import Foundation
import Harness
@testable import Installer
import NpmVerify
import RegistryClient
import SafeJSON
import Testing

/// A version's own package.json `repository` must name the repository its provenance was built from.
@Suite struct DeclaredRepositoryTests {
    @Test(arguments: [
        ("git+https://github.com/mochi-lang/mochi.git", "https://github.com/mochi-lang/mochi"),
        ("https://github.com/Mochi-Lang/mochi/", "https://github.com/mochi-lang/mochi"),
        ("git@github.com:mochi-lang/mochi.git", "https://github.com/mochi-lang/mochi"),
        ("github:mochi-lang/mochi", "https://github.com/mochi-lang/mochi"),
        ("mochi-lang/mochi", "https://github.com/mochi-lang/mochi"),
        ("git://github.com/mochi-lang/mochi.git#main", "https://github.com/mochi-lang/mochi"),
    ])
    func repositoryFormsNormaliseToOneURL(_ form: String, _ expected: String) {
        #expect(DeclaredRepository.normalised(form) == expected)
    }

    @Test func theTarballsOwnRepositoryDecidesNotTheRegistrysCopy() async throws {
        try await HostileMirrorTests.withWorld { world in
            let mirror = HostileMirrorTests()
            // The registry's copy of package.json says another repository; the verified tarball does not.
            let report = try await mirror.install(world, settings: try mirror.settings(world)) { url, status, body in
                guard url.hasSuffix(HostileMirrorTests.runtimePackument) else { return (status, body) }
                return (status, TamperingTransport.editManifest(body, version: "1.2.0") { $0["repository"] = "git+https://github.com/evil/mochi.git" })
            }
            #expect(report.warnings.isEmpty)
        }
    }

    /// Found by an attack: install linked the bins the packument named (the registry's unsigned
    /// word), so a packument could put a `node` on the scripts' PATH; ci read the tarball's.
    @Test func binsComeFromTheVerifiedTarballNotThePackument() async throws {
        try await HostileMirrorTests.withWorld { world in
            let mirror = HostileMirrorTests()
            let report = try await mirror.install(world, settings: try mirror.settings(world)) { url, status, body in
                guard url.hasSuffix(HostileMirrorTests.runtimePackument) else { return (status, body) }
                return (status, TamperingTransport.editManifest(body, version: "1.2.0") { $0["bin"] = ["node": "index.js"] })
            }
            #expect(report.warnings == ["@mochi/runtime@1.2.0: the bins given for it (node -> index.js) differ from its own package.json (none); linked its own"])
        }
    }

    /// Found by review: Unicode lower-casing and Swift's `==` equated a Kelvin sign with `k`, so a
    /// look-alike repository or bin name hid the warning.
    @Test func repositoriesAndBinsAreComparedOnBytes() {
        let kit = ProvenanceIdentity(repository: "https://github.com/kit/r")
        #expect(DeclaredRepository.mismatch(name: "a", version: "1.0.0", declared: "https://github.com/\u{212A}it/r", builtBy: kit) != nil)
        #expect(DeclaredRepository.mismatch(name: "a", version: "1.0.0", declared: "git+https://GitHub.com/Kit/R.git", builtBy: kit) == nil)
        #expect(!TarballBins.same(["\u{212A}": "cli.js"], ["K": "cli.js"]))
        #expect(TarballBins.same(["k": "cli.js", "b": "b.js"], ["b": "b.js", "k": "cli.js"]))
    }

    @Test func mismatchIsAWarningAndAnErrorWhereProvenanceIsRequired() throws {
        let directory = try Scratch.folder("declared-repository")
        defer { Scratch.remove(directory) }
        try Data(#"{"name":"a","version":"1.0.0","repository":{"type":"git","url":"git+https://github.com/evil/a.git"}}"#.utf8)
            .write(to: directory.appendingPathComponent("package.json"))
        let manifest = UnpackedManifest(directory: directory)
        let builtBy = ProvenanceIdentity(repository: "https://github.com/good/a")
        let lenient = try gate(requireProvenance: false)
        try lenient.checkDeclaredRepository(manifest, name: "a", version: "1.0.0", builtBy: builtBy)
        #expect(lenient.run.warnings == ["a@1.0.0: package.json repository is git+https://github.com/evil/a.git, but its provenance was built from https://github.com/good/a (the npm registry refuses such a publish with E422)"])
        let error = #expect(throws: InstallError.self) {
            try gate(requireProvenance: true).checkDeclaredRepository(manifest, name: "a", version: "1.0.0", builtBy: builtBy)
        }
        #expect(error?.exitCode == 1)
        try gate(requireProvenance: true).checkDeclaredRepository(manifest, name: "a", version: "1.0.0",
                                                                  builtBy: ProvenanceIdentity(repository: "https://github.com/evil/a"))
    }

    /// Found by review: a verified provenance whose certificate names no repository (an email
    /// identity, say) skipped the comparison, so a trojaned version signed that way passed
    /// `--require-provenance` beside a package.json naming the real repository.
    @Test func provenanceNamingNoRepositoryIsNoBuildOfTheDeclaredOne() throws {
        let directory = try Scratch.folder("declared-repository-none")
        defer { Scratch.remove(directory) }
        try Data(#"{"name":"a","version":"1.0.0","repository":"github:good/a"}"#.utf8).write(to: directory.appendingPathComponent("package.json"))
        let manifest = UnpackedManifest(directory: directory)
        let email = ProvenanceIdentity(issuer: "https://accounts.google.com", subjectAlternativeName: "attacker@evil.example")
        let lenient = try gate(requireProvenance: false)
        try lenient.checkDeclaredRepository(manifest, name: "a", version: "1.0.0", builtBy: email)
        #expect(lenient.run.warnings == ["a@1.0.0: package.json repository is github:good/a, but its provenance names no source repository (signed by attacker@evil.example from https://accounts.google.com), so it is no build of that repository"])
        let error = #expect(throws: InstallError.self) {
            try gate(requireProvenance: true).checkDeclaredRepository(manifest, name: "a", version: "1.0.0", builtBy: email)
        }
        #expect(error?.exitCode == 1)
        // No provenance at all is not this check's business (--require-provenance refuses it elsewhere).
        try gate(requireProvenance: true).checkDeclaredRepository(manifest, name: "a", version: "1.0.0", builtBy: nil)
    }

    func gate(requireProvenance: Bool) throws -> ProvenanceGate {
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://127.0.0.1:9/"), transport: NoNetwork())
        let run = InstallRun("install", prefix: URL(fileURLWithPath: "/nonexistent"), registry: client.configuration.registry,
                             provenance: ProvenanceSettings(requireProvenance: requireProvenance), pool: BlockingPool(width: 1),
                             progress: { _ in })
        return ProvenanceGate(client: client, keys: RegistryKeyStore(client: client, trust: RegistryKeyTrust(), requireSignatures: false),
                              run: run, cache: nil)
    }
}

/// A transport for tests that must not touch the network.
struct NoNetwork: HTTPTransport {
    struct Refused: Error {}
    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse { throw Refused() }
}
