public import CodedError

/// A failed TUF check: which role (and version, when known) broke which rule of the
/// specification's client workflow (section 5), with a stable code to switch on.
public struct TUFError: CodedError, Sendable {
    /// What kind of rule failed.
    public enum Code: String, Sendable {
        case malformed            // not valid metadata (JSON, field types, canonical form)
        case wrongType            // `_type` is not the role we asked for
        case duplicateSignature   // a key id appears twice in `signatures`
        case thresholdNotMet      // too few valid signatures from authorised keys
        case versionMismatch      // version differs from the one required (N+1, snapshot/timestamp meta)
        case rollback             // a version went down, or a role vanished from snapshot
        case expired              // freeze attack: expired at the update's fixed start time
        case lengthMismatch       // bytes differ in length from the trusted meta/target info
        case hashMismatch         // bytes differ in hash from the trusted meta/target info
        case unsupportedHash      // a hash algorithm this client cannot compute
        case missingMeta          // the trusted snapshot/delegator does not list the role
        case fetchFailed          // HTTP error status or transport failure
        case tooLarge             // the download exceeded its size cap
        case targetNotFound       // no trusted targets metadata describes the path
        case storage              // local metadata/target file could not be written
        case invalidState         // workflow steps called out of order (a programming error)
    }

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
        return "\(role)\(versionText): \(code.rawValue) (spec \(rule)): \(message)"
    }
}
