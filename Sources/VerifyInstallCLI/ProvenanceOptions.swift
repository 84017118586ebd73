import ArgumentParser
import FoundationEssentials
import Installer
import NpmVerify
import SigstoreVerify

/// Trust (`TrustOptions`), `--require-provenance`, `--policy`, `--require-signatures` and
/// `--registry-keys` for the commands that install.
struct ProvenanceOptions: ParsableArguments {
    @OptionGroup var trust: TrustOptions

    @Flag(name: .long, help: "Fail unless every package carries verified provenance (a SLSA attestation saying who built it).")
    var requireProvenance = false

    @Option(name: .long, help: ArgumentHelp("Provenance policy (verify-policy.json): which packages need provenance and which repository, workflow, ref and runner may have built them. Format: ConsumerFixtures/POLICY.md.", valueName: "file"))
    var policy: String?

    @Flag(name: .long, help: "Fail unless every package's registry signature verifies under keys that trust gives: --registry-keys, or a TUF target (registry.npmjs.org's, the fixture world's). A registry's own /-/npm/v1/keys does not count, nor does a registry without keys (by default both are used or reported as npm does).")
    var requireSignatures = false

    @Option(name: [.customLong("registry-keys"), .customLong("keys")], help: ArgumentHelp("Registry signing keys to trust instead of what registries publish: a /-/npm/v1/keys body or a TUF keys.json. Default: for registry.npmjs.org the public-good TUF target registry.npmjs.org/keys.json (npm's keys embedded in verify-install when TUF is unreachable, except under --require-signatures), for any other registry its /-/npm/v1/keys.", valueName: "file"))
    var registryKeys: String?

    /// The installer's provenance settings; `registry` picks the default trust root (the embedded
    /// world passes the trust it got through TUF as `world`). Throws usage errors.
    func settings(registry: String, world: WorldTrust? = nil, note: (String) -> Void) async throws -> ProvenanceSettings {
        var settings = ProvenanceSettings(requireProvenance: requireProvenance)
        settings.requireSignatures = requireSignatures
        if let registryKeys {
            do { settings.registryKeys = try RegistryKeyTrust.pinning(file: registryKeys) } catch {
                throw InstallError(.usage, "--registry-keys \(registryKeys): \(error)")
            }
        }
        if let policy {
            do { settings.policy = try ProvenancePolicy.load(contentsOf: URL(fileURLWithPath: policy)) } catch {
                throw InstallError(.usage, "\(error)")
            }
        }
        if let world, registryKeys == nil { settings.registryKeys = world.registryKeys }
        if let world, trust.trustedRoot == nil {
            settings.trustedRoot = world.trustedRoot
            settings.trustedRootSource = world.source
            return settings
        }
        let argument = trust.trustedRoot ?? (Self.isPublicRegistry(registry) ? TrustRootResolver.publicGood : nil)
        let needsKeys = Self.isPublicRegistry(registry) && registryKeys == nil
        // The public-good targets this run needs, from one TUF refresh rather than one each.
        let publicGood = await trust.publicGoodTargets((needsKeys ? [TrustRootResolver.registryKeysTarget] : [])
                                                       + (argument == TrustRootResolver.publicGood ? [TrustRootResolver.trustedRootTarget] : []))
        if needsKeys {
            do {
                let resolved = try publicGood[TrustRootResolver.registryKeysTarget]!.get()
                let keys = try RegistryKey.parseTUFKeys(resolved.data)
                settings.registryKeys = RegistryKeyTrust(publicRegistry: keys, source: "registry.npmjs.org/keys.json from \(resolved.source)")
            } catch {
                // The embedded keys may be stale: blocking TUF must not bring back a key revoked since this build.
                guard !settings.requireSignatures, settings.policy?.requireSignatures != true else {
                    throw InstallError(.registry, "registry.npmjs.org keys: \(error); signatures are required, and npm's keys embedded in verify-install are not used for that, since a key revoked through TUF after this build would still count: let verify-install reach TUF, use --offline with TUF metadata cached by an earlier run, or pin the keys with --registry-keys FILE")
                }
                note("registry.npmjs.org keys: \(error); using npm's keys embedded in verify-install")
            }
        }
        guard let argument else { return settings }
        do {
            let resolved: ResolvedTrust
            if let fetched = publicGood[TrustRootResolver.trustedRootTarget] { resolved = try fetched.get() } else {
                resolved = try await trust.resolver().trustedRoot(argument)
            }
            settings.trustedRoot = try TrustedMaterial(jsonData: resolved.data)
            settings.trustedRootSource = resolved.source.description
        } catch {
            // The implicit public-good default may be unreachable; the install fails only if a package needs it.
            guard trust.trustedRoot != nil else { note("no Sigstore trust for \(registry): \(error)"); return settings }
            throw InstallError(.usage, "--trusted-root \(argument): \(error)")
        }
        return settings
    }

    static func isPublicRegistry(_ registry: String) -> Bool {
        NpmRegistryKeys.isPublicRegistry(registry)
    }
}
