public import FoundationEssentials
import LibArchive

/// What a tarball's headers say about its regular files: how many, and their total size in bytes
/// (npm's `dist.fileCount` and `dist.unpackedSize`).
///
/// Only the headers are read (libarchive skips the data), so a large tarball costs one
/// decompression pass and no copies; nothing is unpacked.
public struct TarballListing: Sendable, Hashable {
    /// Regular files.
    public private(set) var fileCount = 0
    /// The regular files' total size in bytes.
    public private(set) var unpackedSize: Int64 = 0
    /// Entries of any type read, at most `maxEntries + 1`.
    public private(set) var entryCount = 0

    /// Lists `tarball` (gzip-compressed or plain tar), reading at most `maxEntries + 1` headers,
    /// within `limits`: the decompressed stream (skipping data still inflates it: found by review, a
    /// 4 MB gzip bomb held a registry thread for 15 s), each entry's declared size and their total.
    ///
    /// - Throws: the archive reader's error when the bytes are not a readable tarball, or
    ///   `TarballError` when a limit is exceeded.
    public init(of tarball: Data, maxEntries: Int, limits: TarballLimits = .default) throws {
        let reader = try ArchiveReader(data: tarball, limits: limits.stream)
        while entryCount <= maxEntries, let header = try reader.nextEntry() {
            entryCount += 1
            guard header.type == .regular else { continue }
            let size = header.size ?? 0
            guard size <= limits.maxEntryBytes else {
                throw TarballError(.entryTooLarge, entry: header.path, "declares \(size) bytes, over the limit of \(limits.maxEntryBytes) per file")
            }
            guard unpackedSize + size <= limits.maxTotalBytes else {
                throw TarballError(.tooLarge, entry: header.path, "brings the files to more than \(limits.maxTotalBytes) bytes in all")
            }
            fileCount += 1
            unpackedSize += size
        }
        try reader.close()
    }

    /// Whether the tarball holds more than the `maxEntries` it was listed with.
    public func exceeds(_ maxEntries: Int) -> Bool { entryCount > maxEntries }
}
