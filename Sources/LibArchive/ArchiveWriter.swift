internal import CArchive

/// Writes a tar archive into memory, entry by entry, with no restrictions on what entries say.
///
/// It serves two masters: deterministic package packing (pax-restricted + gzip with the gzip
/// header timestamp disabled, so equal input gives equal bytes) and tests that need hostile
/// archives (absolute paths, `..`, devices, lying link targets). Not thread-safe.
public final class ArchiveWriter {
    /// The tar dialect to emit.
    public enum Format: Sendable, Hashable {
        /// ustar headers, with pax extended headers only where ustar cannot express an entry.
        case paxRestricted
        /// Always pax extended headers.
        case pax
        /// Plain POSIX ustar; long paths fail.
        case ustar
        /// GNU tar, using `././@LongLink` entries for long names.
        case gnuTar
    }

    /// Compression applied to the tar stream.
    public enum Compression: Sendable, Hashable {
        case none
        /// gzip at `level` (1–9), header timestamp zeroed for reproducibility.
        case gzip(level: Int)
    }

    private let handle: ArchiveHandle
    private let entry: ArchiveEntryHandle
    private let sink = WriteSink()
    private var finished = false

    /// Creates a writer; the archive is open and ready for `writeHeader`.
    public init(format: Format = .paxRestricted, compression: Compression = .gzip(level: 9)) throws(ArchiveError) {
        handle = try ArchiveHandle(kind: .write)
        entry = try ArchiveEntryHandle()
        handle.context = sink
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            let formatCode: Int32 = switch format {
            case .paxRestricted: archive_write_set_format_pax_restricted(archive)
            case .pax: archive_write_set_format_pax(archive)
            case .ustar: archive_write_set_format_ustar(archive)
            case .gnuTar: archive_write_set_format_gnutar(archive)
            }
            try handle.check(formatCode, "archive_write_set_format")
            switch compression {
            case .none:
                try handle.check(archive_write_add_filter_none(archive), "archive_write_add_filter_none")
            case .gzip(let level):
                try handle.check(archive_write_add_filter_gzip(archive), "archive_write_add_filter_gzip")
                try handle.check(archive_write_set_filter_option(archive, "gzip", "compression-level", "\(level)"),
                                 "archive_write_set_filter_option(compression-level)")
                // A NULL value means "!timestamp": write 0 instead of the current time.
                try handle.check(archive_write_set_filter_option(archive, "gzip", "timestamp", nil),
                                 "archive_write_set_filter_option(!timestamp)")
            }
            // No padding after the last (compressed) block: gzip readers would see trailing garbage.
            try handle.check(archive_write_set_bytes_in_last_block(archive, 1), "archive_write_set_bytes_in_last_block")
            let client = Unmanaged.passUnretained(sink).toOpaque()
            try handle.check(archive_write_open2(archive, client, nil, writeSinkCallback, nil, nil), "archive_write_open2")
        }
    }

    // MARK: - Entries

    /// Writes the header for `spec`. Follow with `writeData` for up to `spec.size` bytes.
    public func writeHeader(_ spec: ArchiveEntrySpec) throws(ArchiveError) {
        try ensureOpen("archive_write_header")
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try entry.withUnsafeEntry { (entry) throws(ArchiveError) in
                archive_entry_clear(entry)
                try spec.apply(to: entry)
                try handle.check(archive_write_header(archive, entry), "archive_write_header(\(spec.path))")
            }
        }
    }

    /// Appends data to the current entry; returns how many bytes libarchive accepted (it drops
    /// anything beyond the size declared in the header).
    @discardableResult
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> Int {
        try ensureOpen("archive_write_data")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            let written = archive_write_data(archive, base, bytes.count)
            guard written >= 0 else { throw handle.error("archive_write_data", code: written) }
            return written
        }
    }

    /// Completes the current entry, zero-padding it if fewer bytes than declared were written.
    public func finishEntry() throws(ArchiveError) {
        try ensureOpen("archive_write_finish_entry")
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_write_finish_entry(archive), "archive_write_finish_entry")
        }
    }

    /// Convenience: header, all of `contents`, finish. `spec.size` is whatever the caller set.
    public func writeEntry(_ spec: ArchiveEntrySpec, contents: [UInt8] = []) throws(ArchiveError) {
        try writeHeader(spec)
        let result: Result<Void, ArchiveError> = contents.withUnsafeBytes { buffer in
            Result { () throws(ArchiveError) in _ = try writeData(buffer) }
        }
        try result.get()
        try finishEntry()
    }

    // MARK: - Finishing

    /// Writes the end-of-archive marker, flushes compression and returns the archive bytes.
    public func finish() throws(ArchiveError) -> [UInt8] {
        try ensureOpen("archive_write_close")
        finished = true
        try handle.withUnsafeArchive { (archive) throws(ArchiveError) in
            try handle.check(archive_write_close(archive), "archive_write_close")
        }
        return sink.bytes
    }

    private func ensureOpen(_ operation: String) throws(ArchiveError) {
        guard !finished else {
            throw ArchiveError(operation: operation, status: .rejected, message: "the writer was already finished")
        }
    }
}

// MARK: - Byte sink

/// Collects the bytes libarchive emits.
private final class WriteSink {
    var bytes: [UInt8] = []
}

/// `archive_write_callback`: a capture-free closure, so it converts to a C function pointer.
private let writeSinkCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?,
                                                UnsafeRawPointer?, Int) -> Int = { _, client, buffer, length in
    guard let client, length >= 0 else { return Int(ARCHIVE_FATAL) }
    guard length > 0, let buffer else { return 0 }
    let sink = Unmanaged<WriteSink>.fromOpaque(client).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
