public import CodedError

/// Errors in npm's data model, with an extensible code that tests compare.
public typealias NpmModelError = CodedFailure<NpmModelErrorDomain>

/// The domain of ``NpmModelError``: its codes are the static members below.
public enum NpmModelErrorDomain: ErrorDomain {}

extension ErrorCode where Domain == NpmModelErrorDomain {
    public static let invalidName = Self("invalid-name")
    public static let invalidSpec = Self("invalid-spec")
    public static let unsupportedSpec = Self("unsupported-spec")
    public static let malformedDocument = Self("malformed-document")
    public static let unsupportedLockfile = Self("unsupported-lockfile")
}
