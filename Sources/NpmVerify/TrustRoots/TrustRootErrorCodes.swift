public import CodedError

/// Why a trusted root or registry keys document could not be resolved: ``NpmVerifyError``s with
/// these codes (one error domain per module).
extension ErrorCode where Domain == NpmVerifyErrorDomain {
    /// An explicit `--trusted-root FILE` (or keys file) cannot be read.
    public static let unreadableFile = Self("unreadable-file")
    /// The TUF repository has no such target.
    public static let notFound = Self("not-found")
    /// The TUF update failed: a signature, version, expiry, hash or length rule, or the network.
    public static let tuf = Self("tuf")
}
