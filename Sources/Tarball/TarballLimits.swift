import LibArchive

/// Every resource limit the unpacker enforces, in one place.
///
/// Limits are checked while streaming, against bytes actually produced, so an archive whose
/// headers understate sizes cannot slip past them. Defaults are generous for real npm packages
/// (the largest published packages unpack to a few hundred MiB) yet stop decompression bombs.
public struct TarballLimits: Sendable, Equatable {
    /// Maximum number of archive entries of any type (files, directories, links, ...).
    public var maxEntries: Int
    /// Maximum uncompressed bytes across all entries, including data of entries that are skipped.
    public var maxTotalBytes: Int64
    /// Maximum uncompressed bytes of a single entry.
    public var maxEntryBytes: Int64
    /// Maximum length in bytes of an entry path or link target, as stored.
    public var maxPathBytes: Int
    /// Maximum size of the compressed input.
    public var maxCompressedBytes: Int
    /// Maximum number of components in an entry path: with `maxEntries`, bounds the directories
    /// an archive can make the unpacker create (each created parent counts as an entry too).
    public var maxPathDepth: Int
    /// Maximum bytes of the whole decompressed tar stream: entry data plus what libarchive reads
    /// itself (headers, pax and GNU long-name records, padding). Entry data alone is capped by
    /// `maxTotalBytes`; without this, megabyte pax records around empty entries decompress
    /// gigabytes that no data limit sees.
    public var maxStreamBytes: Int64
    /// Maximum decompressed bytes one entry's headers may take (its pax, GNU long-name and sparse
    /// records): enforced inside libarchive's read, where a GNU sparse header's endless extension
    /// blocks otherwise grew memory by two bytes per byte read.
    public var maxHeaderBytes: Int64
    /// Maximum bytes of pax and GNU records in the whole archive: libarchive parses a pax ACL in
    /// time quadratic in its entries (1.7 KB of tarball took 40 s under a 1 MiB cap per header).
    public var maxExtraHeaderBytes: Int64

    /// 100 000 entries (created directories included), 1 GiB total, 512 MiB per entry, 4096-byte
    /// paths of at most 64 components, 512 MiB compressed, a tar stream of the data plus 8 KiB of
    /// headers and padding per entry, 16 KiB of headers per entry (a pax record with a 4096-byte
    /// path and as long a link target fits), 16 MiB of pax and GNU records in all.
    public static let `default` = TarballLimits()

    public init(maxEntries: Int = 100_000,
                maxTotalBytes: Int64 = 1 << 30,
                maxEntryBytes: Int64 = 512 << 20,
                maxPathBytes: Int = 4096,
                maxCompressedBytes: Int = 512 << 20,
                maxPathDepth: Int = 64,
                maxStreamBytes: Int64? = nil,
                maxHeaderBytes: Int64 = 16 << 10,
                maxExtraHeaderBytes: Int64 = 16 << 20) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxPathBytes = maxPathBytes
        self.maxCompressedBytes = maxCompressedBytes
        self.maxPathDepth = maxPathDepth
        // A legitimate entry needs at most a 512-byte header, a pax record holding a 4096-byte
        // path and link target, and 511 bytes of padding: about 6 KiB, 8 KiB with room.
        self.maxStreamBytes = maxStreamBytes ?? maxTotalBytes + Int64(maxEntries) * 8192
        self.maxHeaderBytes = maxHeaderBytes
        self.maxExtraHeaderBytes = maxExtraHeaderBytes
    }

    /// The caps `ArchiveReader` enforces while libarchive reads.
    var stream: StreamLimits {
        StreamLimits(maxStreamBytes: maxStreamBytes, maxHeaderBytes: maxHeaderBytes, maxExtraHeaderBytes: maxExtraHeaderBytes)
    }
}

extension TarballLimits {
    /// Refuses a tar stream that has decompressed more than `maxStreamBytes` so far. libarchive
    /// reads at most 32 special headers (of at most 1 MiB each) per entry, so checking after each
    /// header and each data block bounds the overshoot.
    func checkStream(consumed: Int64, entry: String?) throws(TarballError) {
        guard consumed > maxStreamBytes else { return }
        throw TarballError(.tooLarge, entry: entry,
                           "expected a tar stream of at most \(maxStreamBytes) bytes (headers, records and data), found at least \(consumed)")
    }

    /// Refuses a header whose declared size is negative or already over a limit; the bytes that
    /// actually arrive are counted again while streaming.
    func checkDeclared(size: Int64?, entry: String, after totalBytes: Int64) throws(TarballError) {
        guard let size else { return }
        guard size >= 0 else {
            throw TarballError(.corruptArchive, entry: entry, "expected a non-negative entry size, found \(size)")
        }
        if size > maxEntryBytes {
            throw TarballError(.entryTooLarge, entry: entry,
                               "expected at most \(maxEntryBytes) bytes per entry, header declares \(size)")
        }
        if size > maxTotalBytes - totalBytes {
            throw TarballError(.tooLarge, entry: entry,
                               "expected at most \(maxTotalBytes) bytes in total, header declares \(size) more after \(totalBytes)")
        }
    }
}
