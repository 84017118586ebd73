import ArgumentParser
import CurlTransport
import Foundation
import Publish

/// `mochi-pkg publish --target=npm-library --fixture`: build, pack, and run the trusted
/// publishing flow against fixture services, with the GitHub Actions job taken from the
/// environment (`GITHUB_*`, `RUNNER_ENVIRONMENT`, `ACTIONS_ID_TOKEN_REQUEST_*`).
struct FixturePublish {
    let project: URL
    let packageDir: URL
    let registry: String?
    let fulcio: String?
    let rekor: String?
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
        guard let registry, let fulcio, let rekor, environment["ACTIONS_ID_TOKEN_REQUEST_URL"] != nil else {
            // ===================================================================================
            // FIXTURE WORLD NOT WIRED YET (the lead wires this once FixtureSigstore + the registry
            // exchange land): start the world in-process (Harness), take its registry/Fulcio/Rekor
            // URLs and the job environment its OIDC issuer mints, and call `runClient` below.
            // Until then --fixture needs --registry, --fulcio, --rekor and the GitHub Actions
            // variables of an externally started world (`fixture-registry serve`).
            // ===================================================================================
            throw fail("fixture world not wired yet: pass --registry, --fulcio, --rekor and the GitHub Actions environment (ACTIONS_ID_TOKEN_REQUEST_URL, GITHUB_REPOSITORY, …) of a running world", exitCode: 1)
        }
        try await runClient(packed: packed, registry: registry, fulcio: fulcio, rekor: rekor, environment: environment)
    }

    /// Runs `TrustedPublishingClient` and prints what was published.
    func runClient(packed: PackedPackage, registry: String, fulcio: String, rekor: String, environment: [String: String]) async throws {
        let outcome: TrustedPublishingClient.Outcome
        let attestationFile = project.appendingPathComponent("target/attest-build-provenance.sigstore.json")
        do {
            let job = try GitHubActionsEnvironment(environment: environment)
            let http = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 4))
            defer { http.shutdown() }
            let client = try TrustedPublishingClient(
                configuration: .init(registry: registry, fulcioURL: fulcio, rekorURL: rekor, bundleVersion: bundleVersion), http: http)
            outcome = try await client.run(package: packed, job: job)
            // The workflow's last step: actions/attest-build-provenance over target/ts/npm-library/dist/**.
            let dist = project.appendingPathComponent(NpmLibraryBuilder.outputPath).appendingPathComponent("dist")
            let attestation = try await client.attestBuildProvenance(directory: dist, job: job)
            do { try Data(attestation.bundle.bytes).write(to: attestationFile, options: .atomic) } catch {
                throw PublishError(.io, "cannot write \(attestationFile.path): \(error.localizedDescription)")
            }
        } catch let error as PublishError {
            throw fail(error.message, exitCode: 1)
        }
        if json {
            print(#"{"package":\#(quote(packed.name)),"version":\#(quote(packed.version)),"integrity":\#(quote(packed.integrity)),"logIndex":\#(outcome.logEntry.logIndex),"bundle":\#(outcome.bundle.text),"buildProvenance":\#(quote(attestationFile.path))}"#)
        } else {
            print("published \(packed.name)@\(packed.version) with provenance (bundle v\(bundleVersion.rawValue), log index \(outcome.logEntry.logIndex)); build provenance of dist/ in \(attestationFile.path)")
        }
    }
}
