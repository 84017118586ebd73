public import CodedError

extension ProvenancePolicy {
    /// The issuer that vouches for GitHub's fields when a policy pins them and no issuer: another
    /// CI provider's token could carry a repository claim its users control, or numeric ids
    /// (GitLab's project ids fill the same certificate extensions) that collide with GitHub's.
    public static let gitHubActionsIssuer = "https://token.actions.githubusercontent.com"

    /// The first pin only GitHub Actions can vouch for: a repository on github.com, a repository or
    /// owner id, a workflow under `.github/`; nil when the rules pin none.
    static func gitHubPin(_ rules: Rules) -> String? {
        if let repository = rules.pins[.repository], repository.text.utf8.starts(with: "https://github.com/".utf8) {
            return "a repository on github.com"
        }
        if rules.pins[.repositoryId] != nil { return "a repository id" }
        if rules.pins[.repositoryOwnerId] != nil { return "a repository owner id" }
        if let workflow = rules.pins[.workflow], workflow.text.utf8.starts(with: ".github/".utf8) { return "a workflow under .github/" }
        return nil
    }

    /// Checks one package version against the policy.
    ///
    /// - Parameters:
    ///   - identity: who built it, from its verified provenance bundle; nil when it has no provenance.
    ///   - name, version: the package, named in every message.
    /// - Throws: `.missingProvenance` when provenance is required and absent; `.provenanceMismatch`
    ///   naming the package, the field, the found and the required value.
    public func evaluate(_ identity: ProvenanceIdentity?, name: String, version: String) throws(NpmVerifyError) {
        let rules = rules(for: name)
        guard let identity else {
            if rules.requireProvenance == true {
                throw NpmVerifyError(.missingProvenance, "\(name)@\(version): has no provenance, but \(source) requires provenance for it")
            }
            if rules.requiresProvenance {
                let pinned = rules.pins.keys.sorted().map(\.rawValue).joined(separator: ", ")
                throw NpmVerifyError(.missingProvenance, "\(name)@\(version): has no provenance, but \(source) pins its \(pinned), which only provenance can show")
            }
            return
        }
        if rules.pins[.issuer] == nil, let pinned = Self.gitHubPin(rules), identity.issuer != Self.gitHubActionsIssuer {
            throw NpmVerifyError(.provenanceMismatch,
                "\(name)@\(version): provenance issuer is \(identity.issuer ?? "absent from the certificate"); \(source) pins \(pinned), which only GitHub Actions (\(Self.gitHubActionsIssuer)) vouches for unless the policy pins another issuer")
        }
        for (field, pattern) in rules.pins.sorted(by: { $0.key < $1.key }) {
            let found = field.value(in: identity)
            let matches = found.map { field == .builder ? pattern.matches($0, keepingApart: UInt8(ascii: "@")) : pattern.matches($0) }
            guard matches == true else {
                throw NpmVerifyError(.provenanceMismatch,
                    "\(name)@\(version): provenance \(field.label) is \(found ?? "absent from the certificate"), policy requires \(pattern)")
            }
        }
    }
}
