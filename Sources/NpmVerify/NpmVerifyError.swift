public import CodedError

/// A failed npm rule, with pacote's error code where pacote has one.
public typealias NpmVerifyError = CodedFailure<NpmVerifyErrorDomain>

/// The domain of ``NpmVerifyError``: its codes are the static members below.
public enum NpmVerifyErrorDomain: ErrorDomain {
    public static func describe(_ code: ErrorCode<Self>, _ message: String) -> String { "\(code): \(message)" }
}

extension ErrorCode where Domain == NpmVerifyErrorDomain {
    /// No registry key has the signature's key id (pacote `EMISSINGSIGNATUREKEY`).
    public static let missingSignatureKey = Self("EMISSINGSIGNATUREKEY")
    /// The key expired before the version was published (`EEXPIREDSIGNATUREKEY`).
    public static let expiredSignatureKey = Self("EEXPIREDSIGNATUREKEY")
    /// The registry signature does not verify (`EINTEGRITYSIGNATURE`).
    public static let invalidSignature = Self("EINTEGRITYSIGNATURE")
    /// The registry publishes keys but the version carries no signature.
    public static let missingSignature = Self("missing-signature")
    /// The statement subject is not the package purl and tarball digest (`EATTESTATIONSUBJECT`).
    public static let attestationSubject = Self("EATTESTATIONSUBJECT")
    /// The response's unsigned `predicateType` differs from the signed statement's.
    public static let predicateTypeMismatch = Self("EATTESTATIONPREDICATE")
    /// Two SLSA provenance attestations of one version name different builds: which one built it is ambiguous.
    public static let ambiguousProvenance = Self("EPROVENANCEAMBIGUOUS")
    /// A SLSA provenance was logged after the registry attested the publish: not the publish's own.
    public static let provenanceAfterPublish = Self("EPROVENANCEAFTERPUBLISH")
    /// Signatures are required, but only the registry itself vouches for its keys.
    public static let untrustedKeys = Self("EUNTRUSTEDSIGNATUREKEYS")
    /// The keys document is malformed.
    public static let malformedKeys = Self("malformed-keys")
}
