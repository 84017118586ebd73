import Audit
import FoundationEssentials
import NpmVerify
import CodedError

/// Adapts the project's `ProvenancePolicy` (`--policy FILE`, NpmVerify) to the audit's
/// policy seam: the identity comes from the verified provenance certificate, exactly as
/// the installer and `verify-attestations` read it.
struct AuditPolicy: ProvenancePolicyCheck {
    let policy: ProvenancePolicy

    init(file: String) throws {
        policy = try ProvenancePolicy.load(contentsOf: URL(fileURLWithPath: file))
    }

    func evaluate(_ target: AuditTarget, provenance: VerifiedProvenance?) -> String? {
        do {
            try policy.evaluate(provenance.flatMap { ProvenanceIdentity($0.bundle) }, name: target.name, version: target.version)
            return nil
        } catch {
            return error.message
        }
    }
}
