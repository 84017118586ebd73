public import FoundationEssentials
import DurableFile
import NpmModel
import TUF
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
    /// The most bytes read from a trust file someone names (a trusted root, keys, a policy).
    public static let maxFileBytes = 32 << 20

    /// The TUF repository `public-good` stands for.
    public let tuf: TUFTrust

    public init(tuf: TUFTrust) { self.tuf = tuf }

    /// Public-good trust cached under `cacheRoot` (`~/.cache/verify-install`), from `url`
    /// (`--tuf-url`, a mirror) or the public repository, with its high-water marks in
    /// `stateFolder` (`$XDG_STATE_HOME/verify-install`; nil keeps none).
    public static func publicGood(cacheRoot: URL, url: String? = nil, offline: Bool = false, now: Date = Date(),
                                  stateFolder: URL? = nil) -> TrustRootResolver {
        let repository = url ?? SigstorePublicGoodRoot.repositoryURL
        let name = cacheFolderName(repository)
        let folder = cacheRoot.appendingPathComponent("tuf").appendingPathComponent(name)
        return TrustRootResolver(tuf: TUFTrust(repositoryURL: repository, initialRoot: SigstorePublicGoodRoot.data,
                                               cacheDirectory: folder, cacheTop: cacheRoot, offline: offline, now: now,
                                               highWater: stateFolder.map { TUFHighWater(folder: $0, fileName: "tuf-\(name).json") }))
    }

    /// The repository's origin and path as one file name: the host alone for an https URL with
    /// no port or path (the public repository's folder keeps its name), else `scheme+host:port/path`
    /// (found by review: two mirrors on one host shared a cache, and one's bad answer broke the
    /// other's `--offline`). Percent-encoded, so a host that decodes to `../../x` (found by review:
    /// `--tuf-url http://..%2F..%2Fx/`) cannot climb out of `tuf/`.
    static func cacheFolderName(_ repository: String) -> String {
        let host = URLHost.of(repository) ?? "repository"
        let parts = URLComponents(string: repository)
        let scheme = parts?.scheme?.lowercased() ?? ""
        let port = parts?.port.map { ":\($0)" } ?? ""
        let path = String((parts?.percentEncodedPath ?? "").reversed().drop { $0 == "/" }.reversed())
        let key = scheme == "https" && port.isEmpty && path.isEmpty ? host : "\(scheme)+\(host)\(port)\(path)"
        let name = TUFEncoding.component(key)
        return name == "." || name == ".." ? String(repeating: "%2E", count: name.count) : name
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

    /// Several targets from one refresh of the repository: each verified target, or why it could
    /// not be had. A failed refresh throws.
    public func targets(_ names: [String]) async throws -> [String: Result<ResolvedTrust, any Error>] {
        let (outcome, failures) = try await tuf.fetchEach(names)  // each name is in one of the two
        var results = outcome.targets.mapValues { Result<ResolvedTrust, any Error>.success(ResolvedTrust(data: $0, source: outcome.source)) }
        for (name, failure) in failures { results[name] = .failure(failure) }
        return results
    }

    static func readFile(_ path: String) throws(NpmVerifyError) -> ResolvedTrust {
        let url = URL(fileURLWithPath: path)
        do { return ResolvedTrust(data: try DurableFile.readNamed(url.path, limit: maxFileBytes), source: .file(url)) } catch {
            throw NpmVerifyError(.unreadableFile, "cannot read \(path): \(error.reason)")
        }
    }
}
