import SafeJSON
import SigstoreModels
public import SigstoreVerify
import FoundationEssentials

/// Who built a package, read from its verified SLSA provenance attestation: the Fulcio
/// certificate's GitHub extensions first (PROTOCOLS §5.2), else the signed statement's predicate
/// (SLSA v1 `buildDefinition`, v0.2 `invocation.configSource`), both covered by the verified signature.
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

    /// Reads a verified provenance bundle.
    public init(verified: VerifiedBundle) {
        let identity = verified.identity
        let predicate = Self.PredicateFields(verified.statement?.predicate)
        repository = identity?[.sourceRepositoryURI] ?? predicate.repository
        let certificateWorkflow = (identity?[.buildConfigURI] ?? identity?[.buildSignerURI] ?? identity?.subjectAlternativeName)
        workflow = certificateWorkflow.flatMap(Self.workflowPath) ?? predicate.workflow.map(Self.workflowPath)
        ref = identity?[.sourceRepositoryRef] ?? predicate.ref
        commit = identity?[.sourceRepositoryDigest] ?? predicate.commit
        signer = identity?.subjectAlternativeName
        issuer = identity?.issuer
    }

    /// The workflow file within its repository: `https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1`
    /// or `o/r/.github/workflows/x.yml@ref` → `.github/workflows/x.yml`; other text up to an `@` as is.
    static func workflowPath(_ text: String) -> String {
        let withoutRef = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        if let range = withoutRef.utf8.firstRange(of: "/.github/".utf8) { return String(withoutRef[withoutRef.index(after: range.lowerBound)...]) }
        return withoutRef
    }

    /// The fields SLSA v1 and v0.2 provenance predicates carry for GitHub Actions builds.
    struct PredicateFields {
        var repository: String?, workflow: String?, ref: String?, commit: String?

        init(_ predicate: JSONValue?) {
            guard let predicate else { return }
            if let workflow = predicate["buildDefinition"]?["externalParameters"]?["workflow"] {
                repository = workflow["repository"]?.stringValue
                self.workflow = workflow["path"]?.stringValue
                ref = workflow["ref"]?.stringValue
                commit = predicate["buildDefinition"]?["resolvedDependencies"]?.arrayValue?.first?["digest"]?["gitCommit"]?.stringValue
            } else if let source = predicate["invocation"]?["configSource"] {
                // v0.2: uri = "git+https://github.com/o/r@refs/tags/v1", entryPoint = workflow path.
                let uri = source["uri"]?.stringValue ?? ""
                let trimmed = uri.hasBytePrefix("git+") ? uri.droppingBytePrefix("git+") : uri
                if let at = trimmed.lastIndex(of: "@") {
                    repository = String(trimmed[..<at])
                    ref = String(trimmed[trimmed.index(after: at)...])
                } else if !trimmed.isEmpty {
                    repository = trimmed
                }
                workflow = source["entryPoint"]?.stringValue
                commit = source["digest"]?["sha1"]?.stringValue
            }
        }
    }
}
