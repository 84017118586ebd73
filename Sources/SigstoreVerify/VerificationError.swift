/// A failed verification step. Tests compare `code`; `message` says expected vs found.
public struct VerificationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The step that failed; extensible (new steps add new static codes).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The bundle JSON is malformed or breaks the media type's shape rules.
        public static let bundleFormat = Code(rawValue: "bundle-format")
        /// The trusted root is malformed or holds unusable keys/certificates.
        public static let trustedRoot = Code(rawValue: "trusted-root")
        /// No trusted log matches the entry's log id at its time.
        public static let unknownLog = Code(rawValue: "unknown-log")
        /// The signed entry timestamp (inclusion promise) does not verify.
        public static let signedEntryTimestamp = Code(rawValue: "signed-entry-timestamp")
        /// The Merkle inclusion proof does not recompute the root hash.
        public static let inclusionProof = Code(rawValue: "inclusion-proof")
        /// The checkpoint is malformed, unsigned by the log, or disagrees with the proof.
        public static let checkpoint = Code(rawValue: "checkpoint")
        /// An entry has neither an inclusion promise nor an inclusion proof.
        public static let missingInclusion = Code(rawValue: "missing-inclusion")
        /// An RFC 3161 timestamp does not verify against a trusted timestamp authority.
        public static let timestampAuthority = Code(rawValue: "timestamp-authority")
        /// The bundle lists the same RFC 3161 timestamp or the same log entry twice.
        public static let duplicate = Code(rawValue: "duplicate")
        /// Not enough verified timestamps (tlog threshold), or no signed time at all.
        public static let timestampThreshold = Code(rawValue: "timestamp-threshold")
        /// The leaf does not chain to a certificate authority valid at the signing time.
        public static let certificateChain = Code(rawValue: "certificate-chain")
        /// The leaf lacks the code-signing profile (KeyUsage / ExtendedKeyUsage / not a CA).
        public static let leafProfile = Code(rawValue: "leaf-profile")
        /// No embedded SCT verifies against a trusted CT log.
        public static let certificateTransparency = Code(rawValue: "certificate-transparency")
        /// The signing time is outside the leaf certificate's validity.
        public static let signingTime = Code(rawValue: "signing-time")
        /// The canonicalized log entry body does not match this bundle.
        public static let tlogBody = Code(rawValue: "tlog-body")
        /// The DSSE or message signature does not verify with the signer key.
        public static let signature = Code(rawValue: "signature")
        /// The artifact does not match the signed digest or statement subject.
        public static let artifact = Code(rawValue: "artifact")
        /// The signer key is missing, unparseable or does not match the hint.
        public static let publicKey = Code(rawValue: "public-key")
        /// The certificate identity does not satisfy the caller's policy.
        public static let identityPolicy = Code(rawValue: "identity-policy")
        /// A feature this verifier does not implement yet (fails closed).
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
