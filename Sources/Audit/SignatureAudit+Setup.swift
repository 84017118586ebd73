import NpmVerify
import RegistryClient

extension SignatureAudit {
    /// Wires an audit over one HTTP transport: registry client (full packuments), keys per
    /// registry, attestations, the trusted root (loaded on first use) and an optional policy.
    /// `presetKeys` (registry base URL → keys) replaces fetching `/-/npm/v1/keys` for that registry.
    public init(configuration: RegistryConfiguration, transport: any HTTPTransport, trustedRoot: TrustedRootSource,
                policy: (any ProvenancePolicyCheck)? = nil, presetKeys: [String: [RegistryKey]] = [:]) {
        let client = RegistryClient(configuration: configuration, transport: transport)
        self.init(collector: AuditTargetCollector(configuration: configuration),
                  auditor: PackageAuditor(client: client, keys: AuditKeyStore(client: client, preset: presetKeys),
                                          attestations: AttestationFetcher(transport: transport, configuration: configuration),
                                          trustedRoot: trustedRoot, policy: policy))
    }
}
