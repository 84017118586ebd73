public import CodedError

extension ProvenancePolicy {
    /// The issuer that vouches for a github.com repository when a policy pins one and no issuer:
    /// another CI provider's token could carry a source-repository claim its users control.
    public static let gitHubActionsIssuer = "https://token.actions.githubusercontent.com"

    /// Checks one package version against the policy.
    ///
    /// - Parameters:
    ///   - identity: who built it, from its verified provenance bundle; nil when it has no provenance.
    ///   - name, version: the package, named in every message.
    /// - Throws: `.missingProvenance` when provenance is required and absent; `.provenanceMismatch`
    ///   naming the package, the field, the found and the required value.
    public func evaluate(_ identity: ProvenanceIdentity?, name: String, version: String) throws(ProvenancePolicyError) {
        let rules = rules(for: name)
        guard let identity else {
            if rules.requireProvenance == true {
                throw ProvenancePolicyError(.missingProvenance, "\(name)@\(version): has no provenance, but \(source) requires provenance for it")
            }
            if rules.requiresProvenance {
                let pinned = rules.pins.keys.sorted().map(\.rawValue).joined(separator: ", ")
                throw ProvenancePolicyError(.missingProvenance, "\(name)@\(version): has no provenance, but \(source) pins its \(pinned), which only provenance can show")
            }
            return
        }
        if rules.pins[.issuer] == nil, let repository = rules.pins[.repository],
           repository.text.utf8.starts(with: "https://github.com/".utf8), identity.issuer != Self.gitHubActionsIssuer {
            throw ProvenancePolicyError(.provenanceMismatch,
                "\(name)@\(version): provenance issuer is \(identity.issuer ?? "absent from the certificate"); \(source) pins a repository on github.com, which only GitHub Actions (\(Self.gitHubActionsIssuer)) vouches for unless the policy pins another issuer")
        }
        for (field, pattern) in rules.pins.sorted(by: { $0.key < $1.key }) {
            let found = field.value(in: identity)
            guard let found, pattern.matches(found) else {
                throw ProvenancePolicyError(.provenanceMismatch,
                    "\(name)@\(version): provenance \(field.label) is \(found ?? "absent from the certificate"), policy requires \(pattern)")
            }
        }
    }
}
