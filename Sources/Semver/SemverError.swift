public import CodedError

// MARK: - Errors

/// Why a version, comparator or range text was rejected.
///
/// node-semver throws a `TypeError` in the same situations; the message here names the
/// offending text (and, for a comparator, the range it came from) so it can be shown as is.
public struct SemverError: CodedError, Sendable {
    /// What was rejected: an open set, so switch over it with a `default`.
    public typealias Code = ErrorCode<SemverError>

    public let code: Code
    /// The text that was rejected.
    public let input: String
    public let message: String

    public init(_ code: Code, input: String, _ message: String) {
        (self.code, self.input, self.message) = (code, input, message)
    }

    /// The rejected text.
    public var context: ErrorContext { ["input": input] }

    /// The same error, with the range it occurred in appended to the message.
    func inRange(_ range: String) -> SemverError {
        SemverError(code, input: input, "\(message) (in range \"\(range)\")")
    }
}

extension ErrorCode where Domain == SemverError {
    /// Not a version: bad syntax, longer than 256 characters, or a part above 2^53 - 1.
    public static let invalidVersion = Self("invalidVersion")
    /// One comparator of a range is not `[<|<=|>|>=|=]version` after desugaring.
    public static let invalidComparator = Self("invalidComparator")
    /// The range as a whole is invalid (loose mode dropped every comparator).
    public static let invalidRange = Self("invalidRange")
}
