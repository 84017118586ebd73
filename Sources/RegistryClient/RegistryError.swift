public import CodedError

/// A registry or network failure, naming the package and URL involved.
public struct RegistryError: CodedError, Sendable {
    /// What failed; extensible.
    public typealias Code = ErrorCode<RegistryError>

    public let code: Code
    public let package: String?
    public let url: String?
    public let message: String

    public init(_ code: Code, package: String?, url: String?, _ message: String) {
        self.code = code
        self.package = package
        self.url = url
        self.message = message
    }

    /// The package and URL, when known.
    public var context: ErrorContext { ["package": package, "url": url] }
}

extension ErrorCode where Domain == RegistryError {
    public static let notFound = Self("not-found")
    public static let httpStatus = Self("http-status")
    public static let network = Self("network")
    public static let malformed = Self("malformed-response")
    public static let noMatchingVersion = Self("no-matching-version")
    /// The run's packuments together exceed ``RegistryClient/maxPackumentBytesPerRun``.
    public static let budgetExceeded = Self("budget-exceeded")
}
