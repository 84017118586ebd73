public import CodedError

/// A failure of the publisher side, with a code tests compare and a message that names the
/// file, package or URL and says what was expected versus found.
public typealias PublishError = CodedFailure<PublishErrorDomain>

/// The domain of ``PublishError``: its codes are the static members below.
public enum PublishErrorDomain: ErrorDomain {}

extension ErrorCode where Domain == PublishErrorDomain {
    /// An existing workflow file differs from the template and `--force` was not given.
    public static let workflowModified = Self("workflow-modified")
    /// A file could not be read or written.
    public static let io = Self("io")
    /// The package source folder is missing, malformed, or holds a symlink/escaping path.
    public static let invalidPackage = Self("invalid-package")
    /// Packing the tarball failed.
    public static let pack = Self("pack")
    /// A GitHub Actions variable the flow needs is unset or malformed.
    public static let environment = Self("environment")
    /// Requesting the OIDC ID token failed.
    public static let idToken = Self("id-token")
    /// The registry refused or garbled the OIDC token exchange.
    public static let tokenExchange = Self("token-exchange")
    /// Fulcio refused or garbled the signing-certificate request.
    public static let fulcio = Self("fulcio")
    /// Rekor refused or garbled the log entry.
    public static let rekor = Self("rekor")
    /// The timestamp authority refused or garbled the RFC 3161 timestamp.
    public static let timestamp = Self("timestamp")
    /// The registry refused the publish PUT.
    public static let publish = Self("publish")
    /// No HTTP response was obtained (connection refused, time-out, bad URL).
    public static let transport = Self("transport")
}
