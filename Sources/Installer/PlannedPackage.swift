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
}
