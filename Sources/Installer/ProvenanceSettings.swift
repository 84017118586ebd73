public import NpmVerify
public import SigstoreVerify

/// How an install treats provenance (npm attestations). Every install verifies every attestation
/// a registry advertises; these settings say against what, and how strict to be about the rest.
public struct ProvenanceSettings: Sendable {
    /// The Sigstore trust root bundles must chain to (`--trusted-root`); nil fails any package that
    /// advertises attestations, with a message naming the flag.
    public var trustedRoot: TrustedMaterial?
    /// Where `trustedRoot` came from, for the report (e.g. `file /x/trusted_root.json`).
    public var trustedRootSource: String?
    /// `--require-provenance`: every package must carry verified provenance.
    public var requireProvenance: Bool
    /// `--policy FILE`: per-package requirements on who built what.
    public var policy: ProvenancePolicy?
    /// `--require-signatures` (or the policy's `requireSignatures`): keys must come from trust, and exist.
    public var requireSignatures = false
    /// Where registry signing keys come from (`--registry-keys FILE`, npm's embedded keys).
    public var registryKeys = RegistryKeyTrust()
    /// Set when the trust is the embedded fixture world's: every report says so.
    public var fixtureWorld = false

    public init(trustedRoot: TrustedMaterial? = nil, trustedRootSource: String? = nil, requireProvenance: Bool = false,
                policy: ProvenancePolicy? = nil) {
        self.trustedRoot = trustedRoot
        self.trustedRootSource = trustedRootSource
        self.requireProvenance = requireProvenance
        self.policy = policy
    }

    /// Whether `name` must carry provenance (the flag, or the policy's rules for it).
    func requiresProvenance(_ name: String) -> Bool {
        requireProvenance || (policy?.requiresProvenance(name) ?? false)
    }

    /// Whether a provenance downgrade of `name` is an error: provenance is required, or the policy
    /// pins who may build it (a version without provenance would sidestep the pins).
    func forbidsDowngrade(_ name: String) -> Bool {
        requiresProvenance(name) || !(policy?.rules(for: name).pins.isEmpty ?? true)
    }
}
