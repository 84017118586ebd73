public import CodedError

/// A refusal by the fixture timestamp authority: a malformed `TimeStampReq` (400) or a failure
/// to sign (500). `message` says what was expected and what was found.
public struct TimestampError: CodedError, Sendable {
    /// The HTTP status the authority answers with.
    public let status: Int
    public let message: String

    public init(status: Int, _ message: String) { (self.status, self.message) = (status, message) }

    /// The status is the code.
    public var code: Int { status }

    public var description: String { "timestamp authority \(status): \(message)" }

    static func badRequest(_ message: String) -> TimestampError { TimestampError(status: 400, message) }
}
