/// One shape for every module's errors: a stable code to branch on, a message for humans that says
/// what was expected and what was found, and context (package, version, URL, file...) as key-values.
///
/// Conforming types get a default ``description`` (the message) and equality on the code only:
/// two failures of the same kind are the same error whatever their wording, so messages stay free
/// to improve while codes do not change. Each module keeps its own codes, usually an
/// ``ErrorCode`` tagged with the error type.
public protocol CodedError: Error, CustomStringConvertible, Equatable {
    /// The code's type: an extensible ``ErrorCode`` or a closed enum.
    associatedtype Code: Hashable, Sendable
    /// What failed; stable, compared by tests and callers.
    var code: Code { get }
    /// What was expected and what was found, naming the package, URL or file involved.
    var message: String { get }
    /// The package, version, URL, file or entry the failure concerns, when the type records them.
    var context: ErrorContext { get }
}

extension CodedError {
    /// No context beyond the message.
    public var context: ErrorContext { ErrorContext() }

    /// The message.
    public var description: String { message }

    /// Equal when the codes are equal; the message and context are not compared.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
