import FixtureTesting
import Foundation
import Harness
import Publish
import SafeJSON
import Testing

/// The real npm (10.8.2 here) as the witness of the registry's provenance-publish path: a package
/// packed by `npm pack`, its provenance signed through the world (Fulcio, Rekor v1) for those exact
/// bytes, published by `npm publish --provenance-file` with a token from the trusted-publishing
/// exchange, then read back by `npm view` and verified offline by `npm audit signatures`. A bundle
/// for other bytes is refused: by npm before upload, and by the registry (422) when sent anyway.
@Suite("npm publish --provenance-file against the world", .requires(.npm))
struct NpmProvenanceFilePublishTests {
    static let name = "@mochi/example"
    /// The repository of `@mochi/example`'s trusted publisher (Registry/config.json), as package.json names it.
    static let repository = "git+https://github.com/mochi-lang/mochi.git"
    static let slsa = "https://slsa.dev/provenance/v1"

    @Test func realNpmPublishesWithAProvenanceFileAndVerifiesIt() async throws {
        try await withScratch("npm-provenance-file") { folder in
            let world = try await FixtureWorld.start(directory: folder.appendingPathComponent("world"), seed: nil)
            do {
                try await witness(world: world, folder: folder)
                await world.stop()
            } catch {
                await world.stop()
                throw error
            }
        }
    }

    private func witness(world: FixtureWorld, folder: URL) async throws {
        let npm = try NpmWitnessSession(world: world, folder: folder)
        try await ProvenanceFileSigner.with(world: world, job: WorldPublisher.job(forVersion: "1.0.0")) { signer in
            let token = try await signer.publishToken(for: Self.name)
            try npm.authenticate(token: token)
            try await publishAndVerify(npm: npm, signer: signer, folder: folder)
            try await otherBytesAreRefused(npm: npm, signer: signer, token: token, folder: folder.appendingPathComponent("other"))
        }
    }

    /// 1.0.0: packed, signed for its bytes, published by npm, shown by `npm view`, verified by `npm audit signatures`.
    private func publishAndVerify(npm: NpmWitnessSession, signer: ProvenanceFileSigner, folder: URL) async throws {
        let package = folder.appendingPathComponent("package")
        try NpmWitnessSession.writePackage(at: package, name: Self.name, version: "1.0.0", repository: Self.repository, text: "one")
        let tarball = try await npm.pack(package, into: folder.appendingPathComponent("packed"))
        let bundle = folder.appendingPathComponent("bundle.sigstore.json")
        try Data(try await signer.bundle(name: Self.name, version: "1.0.0", bytes: tarball.bytes).bytes).write(to: bundle)

        let publish = try await npm.run(["publish", tarball.file.path, "--provenance-file", bundle.path, "--access=public"], in: folder)
        print("npm publish --provenance-file (exit \(publish.status)):\n\(publish.stdout)\(publish.stderr)")
        try #require(publish.status == 0, "npm publish: \(publish.stdout)\(publish.stderr)")
        #expect(publish.stdout.contains("+ \(Self.name)@1.0.0"), "\(publish.stdout)")

        let view = try await npm.run(["view", "\(Self.name)@1.0.0", "dist.attestations", "--json"], in: folder)
        print("npm view dist.attestations (exit \(view.status)):\n\(view.stdout)\(view.stderr)")
        let attestations = try JSONValue.parse(Data(view.stdout.utf8))
        #expect(attestations["url"]?.stringValue == npm.registryURL + "-/npm/v1/attestations/@mochi%2fexample@1.0.0", "\(view.stdout)")
        #expect(attestations["provenance"]?["predicateType"]?.stringValue == Self.slsa, "\(view.stdout)")

        let audit = try await installAndAudit(npm: npm, project: folder.appendingPathComponent("consumer"))
        #expect(audit.status == 0, "npm audit signatures: \(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("1 package has a verified registry signature"), "\(audit.stdout)")
        #expect(audit.stdout.contains("1 package has a verified attestation"), "\(audit.stdout)")
    }

    /// `npm install @mochi/example@1.0.0` in a new project, then `npm audit signatures` there.
    private func installAndAudit(npm: NpmWitnessSession, project: URL) async throws -> ProcessResult {
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        let manifest = "{\"name\": \"consumer\", \"version\": \"1.0.0\", \"private\": true, \"dependencies\": {\"\(Self.name)\": \"1.0.0\"}}\n"
        try manifest.write(to: project.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
        let install = try await npm.run(["install", "--fetch-retries=0"], in: project)
        try #require(install.status == 0, "npm install: \(install.stdout)\(install.stderr)")
        let audit = try await npm.run(["audit", "signatures", "--fetch-retries=0"], in: project)
        print("npm audit signatures (exit \(audit.status)):\n\(audit.stdout)\(audit.stderr)")
        return audit
    }
}
