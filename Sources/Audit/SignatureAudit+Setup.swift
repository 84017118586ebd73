public import NpmVerify
public import RegistryClient

extension SignatureAudit {
    /// Wires an audit over one HTTP transport: registry client (full packuments, attestations),
    /// the run's registry key store, the trusted root (loaded on first use) and an optional policy.
    /// `registryKeys` says where keys come from, as for an install (e.g. `--keys FILE` for one
    /// registry); other registries publish theirs at `/-/npm/v1/keys`.
    /// `requireSignatures` (the policy's): a package whose registry publishes no keys is invalid.
    public init(configuration: RegistryConfiguration, transport: any HTTPTransport, trustedRoot: TrustedRootSource,
                policy: (any ProvenancePolicyCheck)? = nil, registryKeys: RegistryKeyTrust = RegistryKeyTrust(),
                requireSignatures: Bool = false) {
        let client = RegistryClient(configuration: configuration, transport: transport)
        let keys = RegistryKeyStore(client: client, trust: registryKeys, requireSignatures: requireSignatures)
        self.init(collector: AuditTargetCollector(configuration: configuration),
                  auditor: PackageAuditor(client: client, keys: keys,
                                          trustedRoot: trustedRoot, policy: policy))
    }
}
