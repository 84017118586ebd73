internal import CArchive

/// A failure reported by libarchive (or by this wrapper while driving it).
///
/// Every libarchive call whose result is not plain success becomes one of these, so callers
/// never see raw return codes. `message` carries `archive_error_string` verbatim when libarchive
/// supplied one, which is what makes corrupt-archive reports actionable.
public struct ArchiveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The libarchive status class that caused the failure.
    public enum Status: Sendable, Hashable {
        /// `ARCHIVE_WARN`: libarchive continued but something was lost or doubtful. Treated as failure.
        case warning
        /// `ARCHIVE_RETRY`: the operation failed but may be retried. Treated as failure.
        case retry
        /// `ARCHIVE_FAILED`: the current operation failed; the archive object is still usable.
        case failed
        /// `ARCHIVE_FATAL`: the archive object is unusable from now on.
        case fatal
        /// A negative byte count or another code this wrapper does not know.
        case unexpected(Int)
        /// The wrapper refused the call before reaching libarchive (misuse, bad argument).
        case rejected

        init(code: Int) {
            switch code {
            case Int(ARCHIVE_WARN): self = .warning
            case Int(ARCHIVE_RETRY): self = .retry
            case Int(ARCHIVE_FAILED): self = .failed
            case Int(ARCHIVE_FATAL): self = .fatal
            default: self = .unexpected(code)
            }
        }
    }

    /// The libarchive function (or wrapper operation) that failed, e.g. `archive_read_next_header2`.
    public let operation: String
    /// The class of failure.
    public let status: Status
    /// `archive_errno` at the time of failure (0 when libarchive set none).
    public let errorNumber: Int32
    /// `archive_error_string`, or a wrapper-supplied explanation.
    public let message: String

    /// Creates an error; mostly used by the wrapper itself.
    public init(operation: String, status: Status, errorNumber: Int32 = 0, message: String) {
        self.operation = operation
        self.status = status
        self.errorNumber = errorNumber
        self.message = message
    }

    public var description: String {
        "\(operation) failed (\(status)): \(message)"
    }
}
