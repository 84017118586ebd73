import Foundation

/// Resolves `--trusted-root` and the public registry's signing keys from the trust npm already has.
///
/// `public-good` means: the target in the npm cache's TUF folder
/// (`<npm cache>/_tuf/tuf-repo-cdn.sigstore.dev/targets/`, npm cache from `npm_config_cache`
/// or `~/.npm`), else the same target embedded in the installed npm CLI's
/// `@sigstore/tuf/seeds.json`. Every answer says which one was used.
public struct TrustRootResolver: Sendable {
    /// The argument value that selects npm's own trust.
    public static let publicGood = "public-good"
    public static let trustedRootTarget = "trusted_root.json"
    public static let registryKeysTarget = "registry.npmjs.org%2Fkeys.json"

    /// The npm cache folder (`npm_config_cache`, else `~/.npm`), nil when neither is known.
    public let npmCache: URL?
    /// Finds `$(npm root -g)` (nil when npm is not installed); called only when the cache misses.
    public let npmGlobalRoot: @Sendable () -> URL?

    public init(npmCache: URL?, npmGlobalRoot: @escaping @Sendable () -> URL?) {
        self.npmCache = npmCache
        self.npmGlobalRoot = npmGlobalRoot
    }

    /// Reads the npm cache from `npm_config_cache` / `HOME`; asks `npm root -g` only if the cache misses.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TrustRootResolver {
        let cache = (environment["npm_config_cache"] ?? environment["NPM_CONFIG_CACHE"]).map { URL(fileURLWithPath: $0) }
            ?? environment["HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent(".npm") }
        return TrustRootResolver(npmCache: cache, npmGlobalRoot: { NpmGlobalRoot.locate(environment: environment) })
    }

    /// The TUF targets folder npm keeps for the public-good instance.
    public var tufTargets: URL? {
        npmCache?.appendingPathComponent("_tuf/tuf-repo-cdn.sigstore.dev/targets")
    }

    /// The seeds file of the installed npm CLI.
    public func seedsFile() -> URL? {
        npmGlobalRoot()?.appendingPathComponent("npm/node_modules/@sigstore/tuf/seeds.json")
    }

    /// `FILE` or `public-good` (nil also means `public-good`).
    public func trustedRoot(_ argument: String?) throws(TrustRootError) -> ResolvedTrust {
        guard let argument, argument != Self.publicGood else { return try publicGoodTarget(Self.trustedRootTarget) }
        return try Self.readFile(argument)
    }

    /// A keys file when given, else the public registry's keys from npm's TUF trust.
    public func registryKeys(_ argument: String?) throws(TrustRootError) -> ResolvedTrust {
        guard let argument, argument != Self.publicGood else { return try publicGoodTarget(Self.registryKeysTarget) }
        return try Self.readFile(argument)
    }

    /// The npm cache's copy of `target`, else the npm CLI's seeded copy.
    public func publicGoodTarget(_ target: String) throws(TrustRootError) -> ResolvedTrust {
        if let folder = tufTargets {
            let url = folder.appendingPathComponent(target)
            if let data = FileManager.default.contents(atPath: url.path) { return ResolvedTrust(data: data, source: .npmCache(url)) }
        }
        let seeds = seedsFile()
        if let seeds, let data = FileManager.default.contents(atPath: seeds.path) {
            if let bytes = try NpmSeeds(data: data).targets[target] { return ResolvedTrust(data: bytes, source: .npmSeeds(seeds)) }
        }
        let looked = [tufTargets.map { $0.appendingPathComponent(target).path } ?? "(no npm cache: set npm_config_cache or HOME)",
                      seeds?.path ?? "(npm not found: `npm root -g` failed)"]
        throw TrustRootError(.notFound, "no \(target) for \(Self.publicGood): looked in \(looked.joined(separator: " and ")); pass a file instead")
    }

    static func readFile(_ path: String) throws(TrustRootError) -> ResolvedTrust {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TrustRootError(.unreadableFile, "cannot read \(path)")
        }
        return ResolvedTrust(data: data, source: .file(url))
    }
}
