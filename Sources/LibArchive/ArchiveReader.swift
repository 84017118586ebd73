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
    private let source: ReadSource
    private var hasEntry = false

    /// Opens `bytes` for reading. Only the tar family is recognised; gzip is the only filter.
    public convenience init(bytes: [UInt8], limits: StreamLimits = .unlimited) throws(ArchiveError) {
        try self.init(source: ReadSource(storage: .bytes(bytes), limits: limits))
    }

    /// Opens `data` for reading without copying it up front.
    public convenience init(data: Data, limits: StreamLimits = .unlimited) throws(ArchiveError) {
        try self.init(source: ReadSource(storage: .data(data), limits: limits))
    }

    /// Opens the archive file at `path` and streams it from disk in chunks (it is never read whole
    /// into memory). The file is opened without following a final symlink.
    public convenience init(path: String, limits: StreamLimits = .unlimited) throws(ArchiveError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw ArchiveError(operation: "open", status: .unexpected(Int(errno)), message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        try self.init(source: ReadSource(storage: .file(descriptor), limits: limits))
    }

    private init(source: ReadSource) throws(ArchiveError) {
        handle = try ArchiveHandle(kind: .read)
        entry = try ArchiveEntryHandle()
        self.source = source
        handle.context = source
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_read_support_filter_gzip(archive), "archive_read_support_filter_gzip")
            try handle.check(archive_read_support_format_tar(archive), "archive_read_support_format_tar")
            let client = Unmanaged.passUnretained(source).toOpaque()
            try handle.check(archive_read_open(archive, client, nil, readSourceCallback, nil), "archive_read_open")
        }
    }

    // MARK: - Headers

    /// Reads the next header; `nil` at the end of the archive. The current entry's unread data is
    /// skipped first, so `StreamLimits.maxHeaderBytes` counts header bytes only.
    public func nextEntry() throws(ArchiveError) -> ArchiveEntryHeader? {
        if hasEntry { try skipData() }
        return try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try entry.withUnsafeEntry { (entry) throws(ArchiveError) in
                source.headerStart = archive_filter_bytes(archive, 0)
                defer { source.headerStart = nil }
                let code = archive_read_next_header2(archive, entry)
                hasEntry = false
                if code == ARCHIVE_EOF { return nil }
                try handle.check(code, "archive_read_next_header2")
                hasEntry = true
                return ArchiveEntryHeader(entry: entry)
            }
        }
    }

    /// Which `StreamLimits` cap stopped the reading, with the bytes seen; nil while none has.
    public var exceededLimit: String? { source.exceeded }

    // MARK: - Data

    /// Reads up to `buffer.count` bytes of the current entry's data (sparse holes arrive as zeros).
    /// Returns 0 once the entry is exhausted.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            let count = archive_read_data(archive, base, buffer.count)
            guard count >= 0 else { throw handle.error("archive_read_data", code: count) }
            guard count <= buffer.count else {
                throw ArchiveError(operation: "archive_read_data", status: .unexpected(count),
                                   message: "libarchive reported \(count) bytes for a \(buffer.count)-byte buffer")
            }
            return count
        }
    }

    /// Explicitly skips the rest of the current entry's data.
    public func skipData() throws(ArchiveError) {
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_read_data_skip(archive), "archive_read_data_skip")
        }
    }

    // MARK: - Accounting and closing

    /// Bytes of the decompressed tar stream consumed so far (headers, data and padding).
    public var decompressedBytesConsumed: Int64 {
        handle.withUnsafeArchive { archive_filter_bytes($0, 0) }
    }

    /// Closes the archive, reporting any error libarchive detects while doing so.
    public func close() throws(ArchiveError) {
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_read_close(archive), "archive_read_close")
        }
    }
}

// MARK: - Byte source

/// Hands the in-memory archive to libarchive in chunks copied into one stable buffer, so no
/// pointer into a Swift array or `Data` ever escapes its `withUnsafeBytes` scope. Before each
/// chunk it checks the `StreamLimits` against the decompressed bytes libarchive has consumed:
/// this runs inside libarchive's own loops (a GNU sparse header's extension blocks, read in one
/// header call without end), where no check between calls could stop them.
private final class ReadSource {
    enum Storage { case bytes([UInt8]), data(Data), file(Int32) }

    /// Small chunks: deflate expands at most about 1032:1, so the decompressed bytes between two
    /// checks stay near 8 MiB.
    static let chunkSize = 8 * 1024
    let storage: Storage
    let limits: StreamLimits
    /// Decompressed bytes consumed when the current header read began; nil outside one.
    var headerStart: Int64?
    /// Set when a limit stopped the reading.
    var exceeded: String?
    private var offset = 0
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)

    init(storage: Storage, limits: StreamLimits) {
        self.storage = storage
        self.limits = limits
    }

    /// Whether reading may go on with `consumed` decompressed bytes behind it; records why not.
    func allows(consumed: Int64) -> Bool {
        if consumed > limits.maxStreamBytes {
            exceeded = "expected a tar stream of at most \(limits.maxStreamBytes) bytes (headers, records and data), found at least \(consumed)"
        } else if let headerStart, consumed - headerStart > limits.maxHeaderBytes {
            exceeded = "expected at most \(limits.maxHeaderBytes) bytes of headers before an entry, found at least \(consumed - headerStart)"
        }
        return exceeded == nil
    }
    deinit {
        chunk.deallocate()
        if case .file(let descriptor) = storage { Glibc.close(descriptor) }
    }

    /// Copies the next chunk into the stable buffer; returns its address and length (0 at end, -1 on a read error).
    func next() -> (UnsafeRawPointer, Int) {
        if case .file(let descriptor) = storage {
            var count: Int
            repeat { count = read(descriptor, chunk.baseAddress!, Self.chunkSize) } while count < 0 && errno == EINTR
            return (UnsafeRawPointer(chunk.baseAddress!), count)
        }
        let total: Int = switch storage {
        case .bytes(let bytes): bytes.count
        case .data(let data): data.count
        case .file: 0
        }
        let count = min(Self.chunkSize, total - offset)
        guard count > 0 else { return (UnsafeRawPointer(chunk.baseAddress!), 0) }
        let target = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<count])
        switch storage {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count])) }
        case .data(let data):
            let start = data.index(data.startIndex, offsetBy: offset)
            data.copyBytes(to: target, from: start..<data.index(start, offsetBy: count))
        case .file: break
        }
        offset += count
        return (UnsafeRawPointer(chunk.baseAddress!), count)
    }
}

/// `archive_read_callback`: a capture-free closure, so it converts to a C function pointer.
private let readSourceCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?,
                                                 UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int = { archive, client, buffer in
    guard let client, let buffer else { return Int(ARCHIVE_FATAL) }
    let source = Unmanaged<ReadSource>.fromOpaque(client).takeUnretainedValue()
    guard source.allows(consumed: archive.map { archive_filter_bytes($0, 0) } ?? 0) else { return Int(ARCHIVE_FATAL) }
    let (pointer, count) = source.next()
    buffer.pointee = pointer
    return count
}
