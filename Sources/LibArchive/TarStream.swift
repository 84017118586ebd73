internal import CArchive

/// The tar stream, inflated by a second libarchive reader (the raw format under the gzip filter)
/// and handed to the tar reader in chunks it counts: the `StreamLimits` are checked against the
/// bytes handed over, before each chunk. That holds inside libarchive's own loops, and before it
/// has a whole record to parse: a pax record is read ahead in full before libarchive parses it
/// (an ACL of named users in quadratic time), and a GNU sparse header reads extension blocks
/// without end, each within one header call. Counting the tar reader's consumption instead saw
/// none of the read-ahead, and a gzip filter of its own inflated a whole record unasked.
final class TarStream {
    static let chunkSize = 16 * 1024
    /// Header bytes per entry that do not count toward `maxExtraHeaderBytes`: the entry's own block
    /// plus one small pax record (GNU tar's posix format writes one, of times, for every file).
    static let freeHeaderBytes: Int64 = 1536
    let limits: StreamLimits
    /// Tar bytes consumed when the current header read began; nil outside one.
    var headerStart: Int64?
    /// Header bytes read so far beyond each entry's own 512-byte block (pax, GNU records).
    var extraHeaderBytes: Int64 = 0
    /// Set when a limit stopped the reading.
    var exceeded: String?
    /// Why inflating failed (damaged or truncated gzip), in libarchive's words.
    private var failure: String?
    private var supplied: Int64 = 0
    private let raw: RawChunks
    /// Reads the same bytes as npm's tar reader would, to refuse what libarchive reads otherwise.
    private var walker = TarWalker()
    /// The CRC-32 and length of what was inflated, for the gzip trailer.
    private var trailer = GzipTrailer()
    private let inflater: ArchiveHandle
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)

    init(raw: RawChunks, limits: StreamLimits) throws(ArchiveError) {
        self.limits = limits
        self.raw = raw
        inflater = try ArchiveHandle(kind: .read)
        inflater.context = raw
        try inflater.withUnsafeArchive { (archive) throws(ArchiveError) in
            // The gzip filter is appended, not bid for: bidding runs again on gzip's output, where
            // the detector reads an inner gzip header's file name until a NUL without bound (4 MB
            // of tarball took 8 GB). One layer at most, as npm's reader; `next` refuses a second.
            if raw.startsWithGzipMagic {
                try inflater.check(archive_read_append_filter(archive, ARCHIVE_FILTER_GZIP), "archive_read_append_filter")
            }
            try inflater.check(archive_read_support_format_raw(archive), "archive_read_support_format_raw")
            let client = Unmanaged.passUnretained(raw).toOpaque()
            let opened = archive_read_open(archive, client, nil, rawChunksCallback, nil)
            if opened != ARCHIVE_OK, let exceeded = raw.exceeded {  // the header read-ahead was cut off
                throw ArchiveError(operation: "archive_read_open", status: .rejected, message: exceeded)
            }
            try inflater.check(opened, "archive_read_open")
            guard let entry = archive_entry_new() else { throw ArchiveError(operation: "archive_entry_new", status: .fatal, message: "out of memory") }
            defer { archive_entry_free(entry) }
            try inflater.check(archive_read_next_header2(archive, entry), "archive_read_next_header2")
        }
    }

    deinit { chunk.deallocate() }

    /// Whether reading may go on with `consumed` tar bytes behind it and `ahead` handed over past
    /// them; records why not.
    func allows(consumed: Int64, ahead: Int64 = 0) -> Bool {
        let seen = consumed + ahead
        if seen > limits.maxStreamBytes {
            exceeded = "expected a tar stream of at most \(limits.maxStreamBytes) bytes (headers, records and data), found at least \(seen)"
        } else if let headerStart, seen - headerStart > limits.maxHeaderBytes {
            exceeded = "expected at most \(limits.maxHeaderBytes) bytes of headers before an entry, found at least \(seen - headerStart)"
        } else if let headerStart, extraHeaderBytes + seen - headerStart - Self.freeHeaderBytes > limits.maxExtraHeaderBytes {
            exceeded = "expected at most \(limits.maxExtraHeaderBytes) bytes of pax and GNU records in the whole archive, found at least \(extraHeaderBytes + seen - headerStart - Self.freeHeaderBytes)"
        }
        return exceeded == nil
    }

    /// The next inflated chunk for the tar reader, after the limits allow it (`consumed`: tar bytes
    /// the tar reader has consumed); -1 when a limit or the inflater stops the reading.
    func next(consumed: Int64) -> (UnsafeRawPointer, Int) {
        let pointer = UnsafeRawPointer(chunk.baseAddress!)
        // What was handed over but not consumed yet is read ahead: it counts (less one chunk of slack).
        guard allows(consumed: consumed, ahead: max(0, supplied - consumed - Int64(Self.chunkSize))) else { return (pointer, -1) }
        let count = inflater.withUnsafeArchive { archive_read_data($0, chunk.baseAddress, Self.chunkSize) }
        guard count >= 0 else {
            let described = inflater.withUnsafeArchive { archive_error_string($0) != nil }
            failure = raw.exceeded ?? (described ? inflater.error("archive_read_data", code: count).message
                : "truncated gzip input (its trailer is missing or cut short)")
            return (pointer, -1)
        }
        if count == 0, let exceeded = raw.exceeded {  // libarchive reads a failed header read-ahead as the end
            failure = exceeded
            return (pointer, -1)
        }
        if supplied == 0, count >= 2, chunk[0] == 0x1F, chunk[1] == 0x8B {
            failure = "the archive is compressed more than once; a tarball is gzipped once"
            return (pointer, -1)
        }
        if let refusal = walker.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count])) {
            failure = refusal
            return (pointer, -1)
        }
        trailer.inflated(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        supplied += Int64(count)
        return (pointer, count)
    }

    /// After the tar reader's end: the rest of the gzip stream must inflate cleanly too, as Node's
    /// zlib requires (a trailing member whose header never ends failed npm, not us), and end in a
    /// trailer that matches what was inflated, with only zeros after it. What is left counts
    /// against the stream cap.
    func finish() throws(ArchiveError) {
        while true {
            let (_, count) = next(consumed: supplied)
            if count == 0 { break }
            if count < 0 {
                throw ArchiveError(operation: "archive_read_data", status: .rejected, message: failure ?? exceeded ?? "the gzip stream does not end cleanly")
            }
        }
        guard raw.startsWithGzipMagic else { return }
        // Where libarchive's gzip filter stopped reading: the first member's end, if it read one only.
        let consumed = inflater.withUnsafeArchive { archive_filter_bytes($0, -1) }
        if let refusal = trailer.refusal(raw: raw, consumed: consumed) {
            throw ArchiveError(operation: "gzip trailer", status: .rejected, message: refusal)
        }
    }

    /// How the entry libarchive just read differs from the next one npm's tar reader reads (path,
    /// link target, whether it is a file and its size); nil when they agree. This catches what the
    /// walker's header rules do not foresee.
    func disagreement(with header: ArchiveEntryHeader) -> String? {
        let theirs = String(decoding: header.pathBytes, as: UTF8.self)
        guard let walked = walker.takeEntry() else { return "libarchive read an entry (\(theirs)) that npm's tar reader does not" }
        let ours = String(decoding: walked.path, as: UTF8.self)
        if walked.path != header.pathBytes { return "npm's tar reader names an entry '\(ours)' that libarchive names '\(theirs)'" }
        if walked.link != header.linkTargetBytes { return "npm's tar reader and libarchive read different link targets for \(ours)" }
        if (walked.fileSize != nil) != (header.type == .regular) || walked.fileSize.map({ $0 != header.size }) == true {
            return "npm's tar reader and libarchive read \(ours) as different kinds or sizes of entry"
        }
        return nil
    }

    /// At libarchive's end of the archive: an entry npm's tar reader reads beyond it, if any.
    func entryBeyondTheEnd() -> String? {
        walker.takeEntry().map { "npm's tar reader reads an entry (\(String(decoding: $0.path, as: UTF8.self))) after libarchive's end of the archive" }
    }

    /// Runs `body`, putting the inflater's own reason in an error the tar reader reports for it.
    func rethrowing<T>(_ body: () throws(ArchiveError) -> T) throws(ArchiveError) -> T {
        do { return try body() } catch {
            guard let failure else { throw error }
            throw ArchiveError(operation: error.operation, status: error.status, message: failure)
        }
    }
}

/// `archive_read_callback` over `TarStream`: a capture-free closure, so it converts to a C function pointer.
let tarStreamCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?,
                                       UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int = { archive, client, buffer in
    guard let client, let buffer else { return Int(ARCHIVE_FATAL) }
    let stream = Unmanaged<TarStream>.fromOpaque(client).takeUnretainedValue()
    let (pointer, count) = stream.next(consumed: archive.map { archive_filter_bytes($0, 0) } ?? 0)
    buffer.pointee = pointer
    return count
}
