public import CodedError

/// A policy that cannot be read, or a package that breaks the policy: ``NpmVerifyError``s with
/// these codes (one error domain per module).
extension ErrorCode where Domain == NpmVerifyErrorDomain {
    /// The policy file is not valid JSON, has an unknown key, or a value of the wrong type.
    public static let malformedPolicy = Self("malformed-policy")
    /// The policy requires provenance and the package has none.
    public static let missingProvenance = Self("missing-provenance")
    /// A provenance field differs from what the policy pins.
    public static let provenanceMismatch = Self("provenance-mismatch")
    /// A later version lacks provenance that an earlier version had.
    public static let provenanceDowngrade = Self("provenance-downgrade")
}
