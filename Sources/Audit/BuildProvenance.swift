public import SigstoreVerify
import FoundationEssentials
import NpmVerify

/// Who built a package, read from its verified SLSA provenance attestation: the Fulcio
/// certificate's GitHub extensions (PROTOCOLS §5.2), which Fulcio vouches for. Never the
/// statement's predicate: any signer writes that (found by review: a certificate of an email
/// identity, or a registry key, had the audit table name the victim's repository).
public struct BuildProvenance: Sendable, Equatable {
    /// Source repository URL (`https://github.com/owner/repo`).
    public let repository: String?
    /// Workflow that ran the build (`.github/workflows/publish.yml` or the full build-config URI).
    public let workflow: String?
    /// Git ref built (`refs/tags/v1.0.0`).
    public let ref: String?
    /// Commit SHA built.
    public let commit: String?
    /// Certificate subject alternative name (the workflow identity), when keyless.
    public let signer: String?
    /// OIDC issuer of the signing certificate.
    public let issuer: String?

    public init(repository: String?, workflow: String?, ref: String?, commit: String?, signer: String?, issuer: String?) {
        self.repository = repository
        self.workflow = workflow
        self.ref = ref
        self.commit = commit
        self.signer = signer
        self.issuer = issuer
    }

    /// Reads a verified provenance bundle, as install and policies read it (``ProvenanceIdentity``).
    public init(verified: VerifiedBundle) {
        let identity = ProvenanceIdentity(verified)
        repository = identity?.repository
        workflow = identity?.workflow
        ref = identity?.ref
        commit = identity?.commit
        signer = identity?.subjectAlternativeName
        issuer = identity?.issuer
    }
}
