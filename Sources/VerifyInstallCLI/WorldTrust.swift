import FoundationEssentials
import Installer
import NpmVerify
import SigstoreVerify

/// The fixture world's trust, taken the way public-good trust is: through our TUF client,
/// anchored in the world's TUF root, from the world's TUF repository (targets `trusted_root.json`
/// and `<host:port>/keys.json`). So the embedded default exercises the real trust path.
struct WorldTrust {
    let trustedRoot: TrustedMaterial
    let source: String
    let registryKeys: RegistryKeyTrust

    /// Any refusal is a configuration error naming the trust root (exit 2), as for public-good trust.
    static func fetch(from embedded: WorldProcess) async throws -> WorldTrust {
        do { return try await fetchTargets(from: embedded) } catch {
            throw InstallError(.usage, "the embedded fixture world's trust root: \(error)")
        }
    }

    private static func fetchTargets(from embedded: WorldProcess) async throws -> WorldTrust {
        let keysTarget = embedded.registryKeysTarget
        // The client's cache lives in the world's own folder and goes with it.
        let tuf = TUFTrust(repositoryURL: embedded.tufURL, initialRoot: embedded.tufRoot,
                           cacheDirectory: embedded.storage.appendingPathComponent("tuf-client"))
        let outcome = try await tuf.fetch([TrustRootResolver.trustedRootTarget, keysTarget])
        let keys = try RegistryKey.parseTUFKeys(outcome.targets[keysTarget]!)
        return WorldTrust(trustedRoot: try TrustedMaterial(jsonData: outcome.targets[TrustRootResolver.trustedRootTarget]!),
                          source: outcome.source.description,
                          registryKeys: RegistryKeyTrust(registry: embedded.registryURL, keys: keys,
                                                         source: "\(keysTarget) from \(outcome.source)"))
    }
}
