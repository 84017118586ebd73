import Crypto
import Hex
import CurlTransport
public import FixtureSigstore
public import Foundation
public import Publish

/// Plays the GitHub Actions job of the emitted workflow against a running fixture world:
/// builds `target/ts/npm-library` from a package folder, packs it, and runs the trusted
/// publishing flow (OIDC token, exchange, Fulcio, Rekor, `PUT` with the `.sigstore` bundle).
/// `mochi-pkg publish --fixture`, the world's seeding and the gate all publish through this.
public struct WorldPublisher: Sendable {
    public let registryURL: String
    public let services: WorldServer
    public let bundleVersion: BundleAssembler.Version
    /// v1: the world's Rekor (`dsse`/`intoto` with a SET); v2: its Rekor v2 log and timestamp authority.
    public let rekorVersion: RekorVersion

    public init(registryURL: String, services: WorldServer, bundleVersion: BundleAssembler.Version = .v03,
                rekorVersion: RekorVersion = .v1) {
        self.registryURL = registryURL
        self.services = services
        self.bundleVersion = bundleVersion
        self.rekorVersion = rekorVersion
    }

    /// The client configuration for this world: Fulcio, and the Rekor (v1 or v2) and timestamp authority chosen.
    public func clientConfiguration(tag: String = "latest") -> TrustedPublishingClient.Configuration {
        .init(registry: registryURL, fulcioURL: services.fulcioURL,
              rekorURL: rekorVersion == .v2 ? services.rekorV2URL : services.rekorURL,
              bundleVersion: bundleVersion, tag: tag, rekorVersion: rekorVersion,
              timestampAuthorityURL: services.timestampAuthorityURL)
    }

    /// The job that publishes `version` of the Mochi packages: the tag push `v<version>` of the
    /// emitted workflow in `mochi-lang/mochi`, at a commit derived from the tag (stable across runs).
    public static func job(forVersion version: String, repository: String = "mochi-lang/mochi") -> GitHubActionsJob {
        let ref = "refs/tags/v\(version)"
        let commit = Hex.encode(Insecure.SHA1.hash(data: Data("\(repository)@\(ref)".utf8)))
        return GitHubActionsJob(repository: repository, ref: ref, sha: commit)
    }

    /// The environment a step of `job` sees, including its ID-token request pair.
    public func environment(of job: GitHubActionsJob) async throws -> [String: String] {
        let issuer = try await services.world.startJob(job)
        var environment = job.environmentVariables
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = services.tokenRequestURL
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = issuer.requestToken
        return environment
    }

    /// Builds the package folder into `project` and publishes it as `job` under `tag`.
    public func publish(packageDirectory: URL, project: URL, job: GitHubActionsJob, tag: String = "latest")
        async throws -> (package: PackedPackage, outcome: TrustedPublishingClient.Outcome) {
        let build = try NpmLibraryBuilder(source: packageDirectory, project: project).build()
        let packed = try PackedPackage.pack(build)
        let environment = try GitHubActionsEnvironment(environment: try await environment(of: job))
        let http = try CurlHTTPClient(configuration: TransportConfiguration(maxConcurrentTransfers: 4))
        defer { http.shutdown() }
        let client = try TrustedPublishingClient(configuration: clientConfiguration(tag: tag), http: http)
        return (packed, try await client.run(package: packed, job: environment))
    }
}
