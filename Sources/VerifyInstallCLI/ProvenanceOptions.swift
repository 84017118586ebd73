import ArgumentParser
import Foundation
import Installer
import NpmVerify
import SigstoreVerify

/// `--trusted-root`, `--require-provenance` and `--policy` for the commands that install.
struct ProvenanceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Sigstore trusted_root.json that attestations must chain to, or public-good for npm's own trust (default: public-good for registry.npmjs.org, none otherwise; a package with attestations then fails).", valueName: "file"))
    var trustedRoot: String?

    @Flag(name: .long, help: "Fail unless every package carries verified provenance (a SLSA attestation saying who built it).")
    var requireProvenance = false

    @Option(name: .long, help: ArgumentHelp("Provenance policy (verify-policy.json): which packages need provenance and which repository, workflow, ref and runner may have built them. Format: ConsumerFixtures/POLICY.md.", valueName: "file"))
    var policy: String?

    @Flag(name: .long, help: "Fail when a package's registry publishes no signing keys (by default such packages are installed and reported as not signature-checked).")
    var requireSignatures = false

    @Option(name: .long, help: ArgumentHelp("Registry signing keys to trust instead of what registries publish: a /-/npm/v1/keys body or a TUF keys.json. Default: npm's embedded keys for registry.npmjs.org, each other registry's /-/npm/v1/keys.", valueName: "file"))
    var registryKeys: String?

    /// The installer's provenance settings; `registry` picks the default trust root (the embedded
    /// world passes its own as `defaultTrustedRoot`). Throws usage errors.
    func settings(registry: String, defaultTrustedRoot: String? = nil, note: (String) -> Void) throws -> ProvenanceSettings {
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
        let resolver = TrustRootResolver.fromEnvironment()
        let argument = trustedRoot ?? defaultTrustedRoot ?? (Self.isPublicRegistry(registry) ? TrustRootResolver.publicGood : nil)
        guard let argument else { return settings }
        do {
            let resolved = try resolver.trustedRoot(argument)
            settings.trustedRoot = try TrustedMaterial(jsonData: resolved.data)
            settings.trustedRootSource = resolved.source.description
        } catch {
            // The implicit public-good default may be missing; the install fails only if a package needs it.
            guard trustedRoot != nil || defaultTrustedRoot != nil else { note("no Sigstore trust for \(registry): \(error)"); return settings }
            throw InstallError(.usage, "--trusted-root \(argument): \(error)")
        }
        return settings
    }

    static func isPublicRegistry(_ registry: String) -> Bool {
        NpmRegistryKeys.isPublicRegistry(registry)
    }
}
