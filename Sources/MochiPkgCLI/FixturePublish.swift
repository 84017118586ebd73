import ArgumentParser
import CurlTransport
import Foundation
import Harness
import Publish
import CodedError
import FixtureSigstore
import SigstoreModels

/// `mochi-pkg publish --target=npm-library --fixture`: build, pack, and run the trusted
/// publishing flow against fixture services, with the GitHub Actions job taken from the
/// environment (`GITHUB_*`, `RUNNER_ENVIRONMENT`, `ACTIONS_ID_TOKEN_REQUEST_*`).
struct FixturePublish {
    let project: URL
    let packageDir: URL
    let registry: String?
    let fulcio: String?
    let rekor: String?
    /// v1, or v2 (the world's Rekor v2 log and timestamp authority).
    let rekorVersion: RekorVersion
    /// The timestamp authority for v2 with explicit services.
    let timestampAuthority: String?
    let bundleVersion: BundleAssembler.Version
    let json: Bool

    func run() async throws {
        let packed: PackedPackage
        do {
            let source = try PackageSource.resolve(packageDir.standardizedFileURL)
            let build = try NpmLibraryBuilder(source: source, project: project).build()
            packed = try PackedPackage.pack(build)
        } catch {
            throw fail(error.message, exitCode: 1)
        }
        FileHandle.standardError.write(Data("built \(packed.name)@\(packed.version) into \(project.appendingPathComponent(NpmLibraryBuilder.outputPath).path) (\(packed.tarball.count) bytes, \(packed.integrity))\n".utf8))

        let environment = ProcessInfo.processInfo.environment
        guard let registry, let fulcio, let rekor, environment["ACTIONS_ID_TOKEN_REQUEST_URL"] != nil,
              rekorVersion == .v1 || timestampAuthority != nil else {
            if rekorVersion == .v2, registry != nil, timestampAuthority == nil {
                throw fail("--rekor v2 with --registry needs --rekor-url (the Rekor v2 log) and --timestamp-authority", exitCode: 2)
            }
            if registry != nil || fulcio != nil || rekor != nil {
                throw fail("--registry, --fulcio and --rekor go together, with the job's GitHub Actions environment "
                           + "(ACTIONS_ID_TOKEN_REQUEST_URL, …; `. <storage>/world.env` of `fixture-registry serve` does not set them: "
                           + "omit all three to play the job in an embedded world)", exitCode: 2)
            }
            try await runInEmbeddedWorld(packed: packed)
            return
        }
        try await runClient(packed: packed, registry: registry, fulcio: fulcio, rekor: rekor,
                            timestampAuthority: timestampAuthority ?? "https://timestamp.sigstore.dev", environment: environment)
    }

    /// No world given: start one in this process (seeded with every other seed package), run the job
    /// of a tag push `v<version>` against it, and stop it again.
    func runInEmbeddedWorld(packed: PackedPackage) async throws {
        let world: FixtureWorld
        do { world = try await FixtureWorld.start(seedExcluding: [packed.name]) } catch {
            throw fail("cannot start the embedded fixture world: \(error)", exitCode: 1)
        }
        FileHandle.standardError.write(Data("started an embedded fixture world (registry \(world.registryURL)); it stops when the job ends\n".utf8))
        do {
            let environment = try await world.publisher().environment(of: WorldPublisher.job(forVersion: packed.version))
            try await runClient(packed: packed, registry: world.registryURL, fulcio: world.services.fulcioURL,
                                rekor: rekorVersion == .v2 ? world.services.rekorV2URL : world.services.rekorURL,
                                timestampAuthority: world.services.timestampAuthorityURL, environment: environment)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    /// Runs `TrustedPublishingClient` and prints what was published.
    func runClient(packed: PackedPackage, registry: String, fulcio: String, rekor: String, timestampAuthority: String,
                   environment: [String: String]) async throws {
        let outcome: TrustedPublishingClient.Outcome
        let attestationFile = project.appendingPathComponent("target/attest-build-provenance.sigstore.json")
        do {
            let job = try GitHubActionsEnvironment(environment: environment)
            // The workflow's gate step: only the tag that names the version publishes it (found by
            // review: the play published 1.5.0 from a v1.1.0 job, which the real job refuses).
            guard environment["GITHUB_REF"] == "refs/tags/v\(packed.version)" else {
                throw PublishError(.environment, "\(environment["GITHUB_REF"] ?? "no GITHUB_REF") is not the tag v\(packed.version): the workflow publishes \(packed.name)@\(packed.version) only from that tag")
            }
            let http = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 4))
            defer { http.shutdown() }
            let client = try TrustedPublishingClient(
                configuration: .init(registry: registry, fulcioURL: fulcio, rekorURL: rekor, bundleVersion: bundleVersion,
                                     rekorVersion: rekorVersion, timestampAuthorityURL: timestampAuthority), http: http)
            // In the workflow's order: actions/attest-build-provenance over target/ts/npm-library/dist/**,
            // then npm publish (found by review: a failed attest came after the version was published).
            let dist = project.appendingPathComponent(NpmLibraryBuilder.outputPath).appendingPathComponent("dist")
            let attestation = try await client.attestBuildProvenance(directory: dist, job: job)
            do { try Data(attestation.bundle.bytes).write(to: attestationFile, options: .atomic) } catch {
                throw PublishError(.io, "cannot write \(attestationFile.path): \(error.localizedDescription)")
            }
            outcome = try await client.run(package: packed, job: job)
        } catch let error as PublishError {
            throw fail(error.message, exitCode: 1)
        }
        if json {
            print(#"{"package":\#(quote(packed.name)),"version":\#(quote(packed.version)),"integrity":\#(quote(packed.integrity)),"logIndex":\#(outcome.logEntry.logIndex),"bundle":\#(outcome.bundle.text),"buildProvenance":\#(quote(attestationFile.path))}"#)
        } else {
            print("published \(packed.name)@\(packed.version) with provenance (bundle v\(bundleVersion.rawValue), Rekor \(rekorVersion.rawValue), log index \(outcome.logEntry.logIndex)); build provenance of dist/ in \(attestationFile.path)")
        }
    }
}
