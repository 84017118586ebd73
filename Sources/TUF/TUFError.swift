public import CodedError

/// A failed TUF check: which role (and version, when known) broke which rule of the
/// specification's client workflow (section 5), with a stable code to switch on.
public struct TUFError: CodedError, Sendable {
    /// What kind of rule failed: an open set, so switch over it with a `default`.
    public typealias Code = ErrorCode<TUFError>

    public let code: Code
    /// The role whose metadata (or target file) failed, e.g. `snapshot` or `target file a/b.txt`.
    public let role: String
    /// The version of that metadata when known.
    public let version: Int?
    /// The specification rule, e.g. `5.5.4` (section numbers of the TUF 1.0 client workflow).
    public let rule: String
    public let message: String

    public init(_ code: Code, role: String, version: Int? = nil, rule: String, _ message: String) {
        (self.code, self.role, self.version, self.rule, self.message) = (code, role, version, rule, message)
    }

    /// The role, its version when known, and the rule.
    public var context: ErrorContext { ["role": role, "version": version.map(String.init), "rule": rule] }

    public var description: String {
        let versionText = version.map { " v\($0)" } ?? ""
        return "\(role)\(versionText): \(code) (spec \(rule)): \(message)"
    }
}

extension ErrorCode where Domain == TUFError {
    /// Not valid metadata (JSON, field types, canonical form).
    public static let malformed = Self("malformed")
    /// `_type` is not the role we asked for.
    public static let wrongType = Self("wrongType")
    /// A key id appears twice in `signatures`.
    public static let duplicateSignature = Self("duplicateSignature")
    /// Too few valid signatures from authorised keys.
    public static let thresholdNotMet = Self("thresholdNotMet")
    /// Version differs from the one required (N+1, snapshot/timestamp meta).
    public static let versionMismatch = Self("versionMismatch")
    /// A version went down, or a role vanished from snapshot.
    public static let rollback = Self("rollback")
    /// Freeze attack: expired at the update's fixed start time.
    public static let expired = Self("expired")
    /// Bytes differ in length from the trusted meta/target info.
    public static let lengthMismatch = Self("lengthMismatch")
    /// Bytes differ in hash from the trusted meta/target info.
    public static let hashMismatch = Self("hashMismatch")
    /// A hash algorithm this client cannot compute.
    public static let unsupportedHash = Self("unsupportedHash")
    /// The trusted snapshot/delegator does not list the role.
    public static let missingMeta = Self("missingMeta")
    /// HTTP error status or transport failure.
    public static let fetchFailed = Self("fetchFailed")
    /// The download exceeded its size cap.
    public static let tooLarge = Self("tooLarge")
    /// No trusted targets metadata describes the path.
    public static let targetNotFound = Self("targetNotFound")
    /// Local metadata/target file could not be written.
    public static let storage = Self("storage")
    /// Workflow steps called out of order (a programming error).
    public static let invalidState = Self("invalidState")
}
