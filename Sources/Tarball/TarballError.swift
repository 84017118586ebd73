public import CodedError

/// Why packing or unpacking a tarball failed.
///
/// `code` is what callers (and tests) branch on; `entry` names the offending archive entry exactly
/// as it was stored, and `message` says what was expected and what was found.
public struct TarballError: CodedError, Sendable {
    /// An extensible error classification: new codes can be added without breaking switches.
    public typealias Code = ErrorCode<TarballError>

    public let code: Code
    /// The entry path as stored in the archive (or the package path when packing); `nil` when the
    /// failure concerns the archive as a whole.
    public let entry: String?
    /// Human-readable explanation; names `entry` when there is one.
    public let message: String

    /// Creates an error; `detail` should say what was expected and what was found. The entry path
    /// is prefixed automatically so every message names it.
    public init(_ code: Code, entry: String? = nil, _ detail: String) {
        self.code = code
        self.entry = entry
        self.message = entry.map { "entry '\($0)': \(detail)" } ?? detail
    }

    /// The entry, when there is one.
    public var context: ErrorContext { ["entry": entry] }

    public var description: String { "tarball error [\(code)]: \(message)" }
}

extension ErrorCode where Domain == TarballError {
    // MARK: Paths
    /// A path contains a `..` component.
    public static let pathTraversal = Self("pathTraversal")
    /// A path starts with `/`.
    public static let absolutePath = Self("absolutePath")
    /// A path is empty, contains NUL, or is not valid UTF-8.
    public static let invalidPath = Self("invalidPath")
    /// A path or link target is longer than `TarballLimits.maxPathBytes`.
    public static let pathTooLong = Self("pathTooLong")
    /// Two files to pack have the same package path.
    public static let duplicatePath = Self("duplicatePath")

    // MARK: Entry types
    /// A symlink or hard link whose target resolves outside the package root.
    public static let linkEscape = Self("linkEscape")
    /// A character or block device entry.
    public static let deviceEntry = Self("deviceEntry")
    /// A FIFO (named pipe) entry.
    public static let fifoEntry = Self("fifoEntry")
    /// A socket or an entry type libarchive could not classify.
    public static let unsupportedEntry = Self("unsupportedEntry")

    // MARK: Limits
    /// More entries than `TarballLimits.maxEntries`.
    public static let tooManyEntries = Self("tooManyEntries")
    /// More bytes than `maxTotalBytes` (uncompressed) or `maxCompressedBytes` (input).
    public static let tooLarge = Self("tooLarge")
    /// One entry larger than `TarballLimits.maxEntryBytes`.
    public static let entryTooLarge = Self("entryTooLarge")

    // MARK: Input and environment
    /// The input is not a (gzipped) tar archive, or it is truncated or damaged.
    public static let corruptArchive = Self("corruptArchive")
    /// The unpack destination already exists (it is left untouched).
    public static let destinationExists = Self("destinationExists")
    /// A filesystem operation failed, or libarchive failed while writing.
    public static let io = Self("io")
}
