public import CodedError

/// A failed verification step. Tests compare `code`; `message` says expected vs found.
public typealias VerificationError = CodedFailure<VerificationErrorDomain>

/// The domain of ``VerificationError``: its codes are the static members below.
public enum VerificationErrorDomain: ErrorDomain {
    public static func describe(_ code: ErrorCode<Self>, _ message: String) -> String { "\(code): \(message)" }
}

extension ErrorCode where Domain == VerificationErrorDomain {
    /// The bundle JSON is malformed or breaks the media type's shape rules.
    public static let bundleFormat = Self("bundle-format")
    /// The trusted root is malformed or holds unusable keys/certificates.
    public static let trustedRoot = Self("trusted-root")
    /// No trusted log matches the entry's log id at its time.
    public static let unknownLog = Self("unknown-log")
    /// The signed entry timestamp (inclusion promise) does not verify.
    public static let signedEntryTimestamp = Self("signed-entry-timestamp")
    /// The Merkle inclusion proof does not recompute the root hash.
    public static let inclusionProof = Self("inclusion-proof")
    /// The checkpoint is malformed, unsigned by the log, or disagrees with the proof.
    public static let checkpoint = Self("checkpoint")
    /// An entry has neither an inclusion promise nor an inclusion proof.
    public static let missingInclusion = Self("missing-inclusion")
    /// An RFC 3161 timestamp does not verify against a trusted timestamp authority.
    public static let timestampAuthority = Self("timestamp-authority")
    /// The bundle lists the same RFC 3161 timestamp or the same log entry twice.
    public static let duplicate = Self("duplicate")
    /// Not enough verified timestamps (tlog threshold), or no signed time at all.
    public static let timestampThreshold = Self("timestamp-threshold")
    /// The leaf does not chain to a certificate authority valid at the signing time.
    public static let certificateChain = Self("certificate-chain")
    /// The leaf lacks the code-signing profile (KeyUsage / ExtendedKeyUsage / not a CA).
    public static let leafProfile = Self("leaf-profile")
    /// No embedded SCT verifies against a trusted CT log.
    public static let certificateTransparency = Self("certificate-transparency")
    /// The signing time is outside the leaf certificate's validity, or later than the verifier's clock.
    public static let signingTime = Self("signing-time")
    /// The canonicalized log entry body does not match this bundle.
    public static let tlogBody = Self("tlog-body")
    /// The DSSE or message signature does not verify with the signer key.
    public static let signature = Self("signature")
    /// The artifact does not match the signed digest or statement subject.
    public static let artifact = Self("artifact")
    /// The signer key is missing, unparseable or does not match the hint.
    public static let publicKey = Self("public-key")
    /// The certificate identity does not satisfy the caller's policy.
    public static let identityPolicy = Self("identity-policy")
    /// A feature this verifier does not implement yet (fails closed).
    public static let unsupported = Self("unsupported")
}
