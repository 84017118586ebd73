public import CodedError

/// A refusal by the fixture Rekor log, carried to HTTP as Rekor's `{code, message}` error body.
///
/// Tests compare `code`; `message` says what was expected and what was found.
public struct RekorError: CodedError, Sendable {
    /// The HTTP status Rekor answers with for this refusal.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public var description: String { String(rawValue) }

        /// The proposed entry is malformed, of an unsupported kind, or its signature does not verify.
        public static let badRequest = Code(rawValue: 400)
        /// No entry has the requested index or UUID.
        public static let notFound = Code(rawValue: 404)
        /// An equivalent entry is already in the log.
        public static let conflict = Code(rawValue: 409)
        /// The log's storage could not be read or written.
        public static let storage = Code(rawValue: 500)
    }

    public let code: Code
    public let message: String
    /// For `.conflict`: the UUID of the entry already logged (Rekor's 409 `Location`).
    public let existingUUID: String?

    public init(_ code: Code, _ message: String, existingUUID: String? = nil) {
        (self.code, self.message, self.existingUUID) = (code, message, existingUUID)
    }

    /// The UUID of the entry already logged, for a conflict.
    public var context: ErrorContext { ["existingUUID": existingUUID] }

    public var description: String { "rekor \(code): \(message)" }

    static func badRequest(_ message: String) -> RekorError { RekorError(.badRequest, message) }
}
