import Integrity
import NpmModel

/// What the registry said about one version, read once from its manifest and checked by both
/// gates before the tarball is used: the signed claim (`dist.integrity` + `dist.signatures`,
/// `SignatureGate`) and the attestation claim (`dist.attestations`, `ProvenanceGate`).
struct RegistryEvidence: Sendable {
    let name: String
    let version: String
    /// `dist.integrity` exactly as the registry gave it (the signed string, the digest attestation
    /// subjects must carry); nil when it gave none.
    let integrity: String?
    let signatures: [RegistrySignature]
    /// `dist.attestations.url`; nil when the version advertises none.
    let attestationsURL: String?
    /// `dist.attestations.provenance.predicateType`: the provenance the response must carry.
    let advertisedProvenance: String?
    /// The version the project's lockfile had at this path before the install, if another one.
    var previouslyLocked: String? = nil
    /// The integrity the lockfile recorded for ``previouslyLocked``, if any.
    var previouslyLockedIntegrity: String? = nil

    /// The evidence of a registry manifest.
    init(_ manifest: Manifest) {
        name = manifest.name
        version = manifest.version
        integrity = manifest.dist.integrity
        signatures = manifest.dist.signatures
        attestationsURL = manifest.dist.attestationsURL
        advertisedProvenance = manifest.dist.provenancePredicateType
    }

    var subject: String { "\(name)@\(version)" }

    /// `integrity` parsed strictly: the bytes must hash to it, so the signature binds them.
    var parsed: SubresourceIntegrity? { integrity.flatMap { try? SubresourceIntegrity($0) } }

    /// The integrity claims this evidence makes, each named by who relies on it.
    var claims: [IntegrityClaim] {
        guard let parsed else { return [] }
        var claims = [IntegrityClaim(parsed, "the string the registry signature covers")]
        if attestationsURL != nil { claims.append(IntegrityClaim(parsed, "the digest attestation subjects were checked against")) }
        return claims
    }
}
