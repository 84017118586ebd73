import OpenSSLCrypto
public import SigstoreVerify
import FoundationEssentials

/// Who built a package, read from the verified provenance bundle's Fulcio leaf (PROTOCOLS §5.2).
///
/// Current leaves carry the v2 extensions (.8 onward, DER UTF8String); leaves issued before
/// late 2023 carry only the deprecated raw .1–.6, so each field falls back to those
/// (`repository` = `https://github.com/` + .5, `ref` = .6, `commit` = .3, `trigger` = .2)
/// and the workflow to the SAN (`https://github.com/<repo>/<path>@<ref>`).
public struct ProvenanceIdentity: Sendable, Equatable, Codable {
    /// OIDC issuer (.8, else .1), e.g. `https://token.actions.githubusercontent.com`.
    public var issuer: String?
    /// The certificate's URI or email SAN.
    public var subjectAlternativeName: String?
    /// Source repository URI (.12, else from .5), e.g. `https://github.com/mochi-lang/mochi`.
    public var repository: String?
    /// The workflow the repository ran, as a path (`.github/workflows/publish.yml`): Build Config URI (.18), else Build Signer URI (.9), else the SAN.
    public var workflow: String?
    /// The workflow that signed (.9, else the SAN), with its `@ref`; a reusable builder's URI when one was used.
    public var builder: String?
    /// Source repository ref (.14, else .6), e.g. `refs/tags/v1.0.0`.
    public var ref: String?
    /// Source repository commit (.13, else .3).
    public var commit: String?
    /// Runner environment (.11): `github-hosted` or `self-hosted`; nil on old leaves.
    public var runnerEnvironment: String?
    /// Build trigger (.20, else .2), e.g. `push`, `release`.
    public var trigger: String?
    /// The run that built it (.21).
    public var runInvocation: String?
    /// The source repository's numeric id (.15): unlike its name, it changes when a repository is deleted and re-created.
    public var repositoryID: String?
    /// The repository owner's numeric id (.17).
    public var repositoryOwnerID: String?

    public init(issuer: String? = nil, subjectAlternativeName: String? = nil, repository: String? = nil, workflow: String? = nil,
                builder: String? = nil, ref: String? = nil, commit: String? = nil, runnerEnvironment: String? = nil,
                trigger: String? = nil, runInvocation: String? = nil, repositoryID: String? = nil, repositoryOwnerID: String? = nil) {
        self.issuer = issuer
        self.subjectAlternativeName = subjectAlternativeName
        self.repository = repository
        self.workflow = workflow
        self.builder = builder
        self.ref = ref
        self.commit = commit
        self.runnerEnvironment = runnerEnvironment
        self.trigger = trigger
        self.runInvocation = runInvocation
        self.repositoryID = repositoryID
        self.repositoryOwnerID = repositoryOwnerID
    }

    /// The identity of a certificate-signed verified bundle; nil for a key-signed one.
    public init?(_ verified: VerifiedBundle) {
        guard case .certificate(let path, let fulcio) = verified.signer, let leaf = path.first else { return nil }
        self.init(fulcio: fulcio, leaf: leaf)
    }

    init(fulcio: FulcioIdentity, leaf: Certificate) {
        func legacy(_ number: Int) -> String? {
            leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.\(number)").map { String(decoding: $0, as: UTF8.self) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        issuer = fulcio.issuer
        subjectAlternativeName = fulcio.subjectAlternativeName
        repository = fulcio[.sourceRepositoryURI] ?? legacy(5).map { "https://github.com/" + $0 }
        ref = fulcio[.sourceRepositoryRef] ?? legacy(6)
        commit = fulcio[.sourceRepositoryDigest] ?? legacy(3)
        runnerEnvironment = fulcio[.runnerEnvironment]
        trigger = fulcio[.buildTrigger] ?? legacy(2)
        runInvocation = fulcio[.runInvocationURI]
        repositoryID = fulcio[.sourceRepositoryIdentifier]
        repositoryOwnerID = fulcio[.sourceRepositoryOwnerIdentifier]
        builder = fulcio[.buildSignerURI] ?? subjectAlternativeName
        workflow = (fulcio[.buildConfigURI] ?? builder).flatMap { Self.workflowPath($0, ref: ref) }
    }

    /// `https://github.com/owner/repo/.github/workflows/x.yml@refs/tags/v1` → `.github/workflows/x.yml`.
    /// The `@ref` removed is exactly the certificate's source ref when the URI ends with it, else
    /// everything after the last `@`: file names and refs may both hold an `@`, and cutting at the
    /// first one would let `publish.yml@evil.yml` pass for `publish.yml`.
    static func workflowPath(_ uri: String, ref: String? = nil) -> String? {
        guard let scheme = uri.utf8.firstRange(of: "://".utf8) else { return nil }
        let components = uri[scheme.upperBound...].utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard components.count > 3 else { return nil }
        let path = components.dropFirst(3).map { String(Substring($0)) }.joined(separator: "/")
        if let ref, path.utf8.count > ref.utf8.count + 1, path.utf8.reversed().starts(with: ("@" + ref).utf8.reversed()) {
            return String(decoding: path.utf8.dropLast(ref.utf8.count + 1), as: UTF8.self)
        }
        guard let at = path.utf8.lastIndex(of: UInt8(ascii: "@")) else { return path }
        return String(decoding: path.utf8[..<at], as: UTF8.self)
    }
}
