import Foundation
import Integrity
import NpmModel
import Tarball

/// A package with a fixed install path, whose bytes are being fetched, verified and unpacked.
struct PlannedPackage: Sendable {
    let index: Int
    let location: String
    let target: TarballTarget
    let bins: [String: String]
    var dev = false
    var optional = false
    var peer = false
    var lockEntry: Lockfile.Entry
    /// The registry's signed claim about this version, checked before the tarball is used.
    var evidence: SignatureGate.Evidence?
    /// The registry's attestation claim (`dist.attestations`), checked before the tarball is used.
    var attestations: ProvenanceGate.Evidence?
    /// The registry's manifest of this version, when `ci` read it (for the lockfile's structure).
    var manifest: Manifest?
    /// `ci`: bins are read from the verified tarball's own package.json, not from the lockfile.
    var binsFromTarball = false
    /// Every other integrity claim (the registry's, the lockfile's) the fetched bytes must confirm.
    var claims: [IntegrityClaim] = []

    /// Every integrity the bytes must hash to: the target's, the claims, the signed string's and
    /// the one attestation subjects were compared with. Each names who made it.
    var allClaims: [IntegrityClaim] {
        var all = claims
        if let evidence, let integrity = evidence.parsed { all.append(IntegrityClaim(integrity, "the string the registry signature covers")) }
        if let integrity = attestations?.parsed { all.append(IntegrityClaim(integrity, "the digest attestation subjects were checked against")) }
        return all
    }
}

/// Somebody's statement of what a package's bytes hash to.
struct IntegrityClaim: Sendable {
    let integrity: SubresourceIntegrity
    /// Who said it: `dist.integrity of <url>`, `package-lock.json`.
    let source: String

    init(_ integrity: SubresourceIntegrity, _ source: String) {
        self.integrity = integrity
        self.source = source
    }
}
