internal import CArchive
public import FoundationEssentials
import Glibc

/// Streams the entries of a tar archive (ustar, pax, GNU; optionally gzip-compressed) held in memory.
///
/// Usage: call `nextEntry()` until it returns `nil`; after each header, either read the entry's
/// data with `readData(into:)` until it returns 0, or move on (libarchive skips unread data).
/// Every libarchive status other than success — including warnings — is thrown as `ArchiveError`.
/// Not thread-safe; use one reader from one thread.
public final class ArchiveReader {
    private let handle: ArchiveHandle
    private let entry: ArchiveEntryHandle
    private let source: TarStream
    private var hasEntry = false

    /// Opens `bytes` for reading. Only the tar family is recognised; gzip is the only filter.
    public convenience init(bytes: [UInt8], limits: StreamLimits = .unlimited) throws(ArchiveError) {
        try self.init(source: TarStream(raw: RawChunks(storage: .bytes(bytes)), limits: limits))
    }

    /// Opens `data` for reading without copying it up front.
    public convenience init(data: Data, limits: StreamLimits = .unlimited) throws(ArchiveError) {
        try self.init(source: TarStream(raw: RawChunks(storage: .data(data)), limits: limits))
    }

    /// Opens the archive file at `path` and streams it from disk in chunks (it is never read whole
    /// into memory). The file is opened without following a final symlink.
    public convenience init(path: String, limits: StreamLimits = .unlimited) throws(ArchiveError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw ArchiveError(operation: "open", status: .unexpected(Int(errno)), message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        try self.init(source: TarStream(raw: RawChunks(storage: .file(descriptor)), limits: limits))
    }

    /// The tar reader takes no filter: `source` hands it the tar stream already inflated, counted
    /// and checked against the limits as libarchive asks for it.
    private init(source: TarStream) throws(ArchiveError) {
        handle = try ArchiveHandle(kind: .read)
        entry = try ArchiveEntryHandle()
        self.source = source
        handle.context = source
        try source.rethrowing { () throws(ArchiveError) in
            try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
                try handle.check(archive_read_support_format_tar(archive), "archive_read_support_format_tar")
                let client = Unmanaged.passUnretained(source).toOpaque()
                try handle.check(archive_read_open(archive, client, nil, tarStreamCallback, nil), "archive_read_open")
            }
        }
    }

    // MARK: - Headers

    /// Reads the next header; `nil` at the end of the archive. The current entry's unread data is
    /// skipped first, so `StreamLimits.maxHeaderBytes` counts header bytes only.
    public func nextEntry() throws(ArchiveError) -> ArchiveEntryHeader? {
        if hasEntry { try skipData() }
        return try source.rethrowing { () throws(ArchiveError) in try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try entry.withUnsafeEntry { (entry) throws(ArchiveError) in
                let start = archive_filter_bytes(archive, 0)
                source.headerStart = start
                defer {
                    source.headerStart = nil
                    source.extraHeaderBytes += max(0, archive_filter_bytes(archive, 0) - start - TarStream.freeHeaderBytes)
                }
                let code = archive_read_next_header2(archive, entry)
                hasEntry = false
                if code == ARCHIVE_EOF {
                    if let beyond = source.entryBeyondTheEnd() { throw ArchiveError(operation: "archive_read_next_header2", status: .rejected, message: beyond) }
                    return nil
                }
                try handle.check(code, "archive_read_next_header2")
                // Checked again here: an archive whose last raw chunk has arrived calls back no more.
                guard source.allows(consumed: archive_filter_bytes(archive, 0)) else {
                    throw ArchiveError(operation: "archive_read_next_header2", status: .rejected, message: source.exceeded ?? "limit exceeded")
                }
                hasEntry = true
                let header = ArchiveEntryHeader(entry: entry)
                if let disagreement = source.disagreement(with: header) {
                    throw ArchiveError(operation: "archive_read_next_header2", status: .rejected, message: disagreement)
                }
                return header
            }
        } }
    }

    /// Which `StreamLimits` cap stopped the reading, with the bytes seen; nil while none has.
    public var exceededLimit: String? { source.exceeded }

    // MARK: - Data

    /// Reads up to `buffer.count` bytes of the current entry's data (sparse holes arrive as zeros).
    /// Returns 0 once the entry is exhausted.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try source.rethrowing { () throws(ArchiveError) in try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            let count = archive_read_data(archive, base, buffer.count)
            guard count >= 0 else { throw handle.error("archive_read_data", code: count) }
            guard count <= buffer.count else {
                throw ArchiveError(operation: "archive_read_data", status: .unexpected(count),
                                   message: "libarchive reported \(count) bytes for a \(buffer.count)-byte buffer")
            }
            return count
        } }
    }

    /// Explicitly skips the rest of the current entry's data.
    public func skipData() throws(ArchiveError) {
        try source.rethrowing { () throws(ArchiveError) in try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_read_data_skip(archive), "archive_read_data_skip")
        } }
    }

    // MARK: - Accounting and closing

    /// Bytes of the decompressed tar stream consumed so far (headers, data and padding).
    public var decompressedBytesConsumed: Int64 {
        handle.withUnsafeArchive { archive_filter_bytes($0, 0) }
    }

    /// Closes the archive, reporting any error libarchive detects while doing so.
    public func close() throws(ArchiveError) {
        try source.rethrowing { () throws(ArchiveError) in try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_read_close(archive), "archive_read_close")
        } }
        try source.finish()
    }
}
