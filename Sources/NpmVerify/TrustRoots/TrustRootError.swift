public import CodedError

/// Why a trusted root or registry keys document could not be resolved.
public typealias TrustRootError = CodedFailure<TrustRootErrorDomain>

/// The domain of ``TrustRootError``: its codes are the static members below.
public enum TrustRootErrorDomain: ErrorDomain {
    public static func describe(_ code: ErrorCode<Self>, _ message: String) -> String { "trust root (\(code)): \(message)" }
}

extension ErrorCode where Domain == TrustRootErrorDomain {
    /// An explicit `--trusted-root FILE` (or keys file) cannot be read.
    public static let unreadableFile = Self("unreadable-file")
    /// The TUF repository has no such target.
    public static let notFound = Self("not-found")
    /// The TUF update failed: a signature, version, expiry, hash or length rule, or the network.
    public static let tuf = Self("tuf")
}
