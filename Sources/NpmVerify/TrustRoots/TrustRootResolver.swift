public import FoundationEssentials
import NpmModel
import CodedError

/// Resolves `--trusted-root` and the public registry's signing keys.
///
/// `public-good` means: the targets `trusted_root.json` and `registry.npmjs.org/keys.json` of the
/// Sigstore public-good TUF repository, fetched and verified by our own TUF client from the
/// embedded root (`SigstorePublicGoodRoot`). No npm cache and no npm installation is consulted.
public struct TrustRootResolver: Sendable {
    /// The argument value that selects public-good trust.
    public static let publicGood = "public-good"
    public static let trustedRootTarget = "trusted_root.json"
    public static let registryKeysTarget = "registry.npmjs.org/keys.json"

    /// The TUF repository `public-good` stands for.
    public let tuf: TUFTrust

    public init(tuf: TUFTrust) { self.tuf = tuf }

    /// Public-good trust cached under `cacheRoot` (`~/.cache/verify-install`), from `url`
    /// (`--tuf-url`, a mirror) or the public repository.
    public static func publicGood(cacheRoot: URL, url: String? = nil, offline: Bool = false, now: Date = Date()) -> TrustRootResolver {
        let repository = url ?? SigstorePublicGoodRoot.repositoryURL
        let host = URLHost.of(repository) ?? "repository"
        return TrustRootResolver(tuf: TUFTrust(repositoryURL: repository, initialRoot: SigstorePublicGoodRoot.data,
                                               cacheDirectory: cacheRoot.appendingPathComponent("tuf/\(host)"), offline: offline, now: now))
    }

    /// `FILE`, or `public-good` (nil also means `public-good`): the TUF target `trusted_root.json`.
    public func trustedRoot(_ argument: String?) async throws -> ResolvedTrust {
        guard let argument, argument != Self.publicGood else { return try await target(Self.trustedRootTarget) }
        return try Self.readFile(argument)
    }

    /// One verified target of the repository.
    public func target(_ name: String) async throws -> ResolvedTrust {
        let outcome = try await tuf.fetch([name])
        return ResolvedTrust(data: outcome.targets[name]!, source: outcome.source)
    }

    static func readFile(_ path: String) throws(TrustRootError) -> ResolvedTrust {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TrustRootError(.unreadableFile, "cannot read \(path)")
        }
        return ResolvedTrust(data: data, source: .file(url))
    }
}
