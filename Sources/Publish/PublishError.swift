/// A failure of the publisher side, with a code tests compare and a message that names the
/// file, package or URL and says what was expected versus found.
public struct PublishError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What failed; messages stay free to improve, codes do not change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// An existing workflow file differs from the template and `--force` was not given.
        public static let workflowModified = Code("workflow-modified")
        /// A file could not be read or written.
        public static let io = Code("io")
        /// The package source folder is missing, malformed, or holds a symlink/escaping path.
        public static let invalidPackage = Code("invalid-package")
        /// Packing the tarball failed.
        public static let pack = Code("pack")
        /// A GitHub Actions variable the flow needs is unset or malformed.
        public static let environment = Code("environment")
        /// Requesting the OIDC ID token failed.
        public static let idToken = Code("id-token")
        /// The registry refused or garbled the OIDC token exchange.
        public static let tokenExchange = Code("token-exchange")
        /// Fulcio refused or garbled the signing-certificate request.
        public static let fulcio = Code("fulcio")
        /// Rekor refused or garbled the log entry.
        public static let rekor = Code("rekor")
        /// The timestamp authority refused or garbled the RFC 3161 timestamp.
        public static let timestamp = Code("timestamp")
        /// The registry refused the publish PUT.
        public static let publish = Code("publish")
        /// No HTTP response was obtained (connection refused, time-out, bad URL).
        public static let transport = Code("transport")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
