import ArgumentParser
import FoundationEssentials
import Installer
import NpmVerify

/// `--trusted-root`, `--tuf-url` and `--offline`: where Sigstore trust comes from, for every
/// command that verifies attestations or bundles.
struct TrustOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Sigstore trusted_root.json that bundles must chain to, or public-good: the Sigstore public-good TUF repository, refreshed and verified by verify-install's own TUF client from its embedded root (default for registry.npmjs.org).", valueName: "file|public-good"))
    var trustedRoot: String?

    @Option(name: .long, help: ArgumentHelp("TUF repository for public-good trust (a mirror of https://tuf-repo-cdn.sigstore.dev); still anchored in the embedded root.", valueName: "url"))
    var tufURL: String?

    @Flag(name: .long, help: "Use only the TUF metadata cached by an earlier run (~/.cache/verify-install/tuf), and only while it is unexpired.")
    var offline = false

    /// A repository is a plain http(s) address: user info, a query or a fragment would make two
    /// addresses that fetch different files share one cache folder (found by review).
    func validate() throws {
        guard let tufURL else { return }
        let parts = URLComponents(string: tufURL)
        guard let scheme = parts?.scheme?.lowercased(), scheme == "https" || scheme == "http", parts?.host?.isEmpty == false,
              parts?.user == nil, parts?.password == nil, parts?.query == nil, parts?.fragment == nil,
              !(parts?.percentEncodedPath ?? "").contains("//") else {
            throw ValidationError("--tuf-url must be an http or https address without user info, query, fragment or empty path segments: \(tufURL)")
        }
    }

    /// Whether the trusted root is public-good's TUF target: `--trusted-root public-good`, or none
    /// given (the default of the commands that verify without a registry to go by).
    var usesPublicGoodRoot: Bool { trustedRoot == nil || trustedRoot == TrustRootResolver.publicGood }

    /// The public-good resolver these options describe (cached under the user's verify-install
    /// cache, its TUF high-water marks in the user's state folder beside the cache key). Marks in
    /// or around the cache would go with what they protect, so there are none then, as the
    /// attestation cache keeps no key there.
    func resolver(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrustRootResolver {
        let cacheRoot = try ContentCache.defaultRoot(environment: environment)
        return TrustRootResolver.publicGood(cacheRoot: cacheRoot, url: tufURL, offline: offline,
                                            stateFolder: AttestationCacheKey.defaultFolder(environment: environment, apart: [cacheRoot]))
    }

    /// The public-good TUF targets `names` from one refresh: each target, or why it could not be
    /// had (a refresh that failed, or no resolver, fails every one).
    func publicGoodTargets(_ names: [String]) async -> [String: Result<ResolvedTrust, any Error>] {
        guard !names.isEmpty else { return [:] }
        do { return try await resolver().targets(names) } catch {
            return Dictionary(uniqueKeysWithValues: names.map { ($0, .failure(error)) })
        }
    }
}
