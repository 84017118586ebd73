/// The tag of one module's ``CodedFailure``s: it keeps their ``ErrorCode``s apart from other
/// modules' and says how they print.
public protocol ErrorDomain: Sendable {
    /// How a failure prints; by default its message alone.
    static func describe(_ code: ErrorCode<Self>, _ message: String) -> String
}

extension ErrorDomain {
    /// The message alone.
    public static func describe(_ code: ErrorCode<Self>, _ message: String) -> String { message }
}

/// A failure that is a code and a message, nothing else: the whole error type of a module whose
/// errors carry no further fields (`public typealias AuditError = CodedFailure<AuditErrorDomain>`).
public struct CodedFailure<Domain: ErrorDomain>: CodedError, Sendable {
    /// The module's extensible codes: static members of `ErrorCode where Domain == ...`.
    public typealias Code = ErrorCode<Domain>

    public let code: Code
    public let message: String

    /// A failure of kind `code`; `message` says what was expected and what was found.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// As the domain prints it (the message, unless the domain says otherwise).
    public var description: String { Domain.describe(code, message) }
}
