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

    /// Lists `tarball` (gzip-compressed or plain tar), reading at most `maxEntries + 1` headers.
    ///
    /// - Throws: the archive reader's error when the bytes are not a readable tarball.
    public init(of tarball: Data, maxEntries: Int) throws {
        let reader = try ArchiveReader(data: tarball)
        while entryCount <= maxEntries, let header = try reader.nextEntry() {
            entryCount += 1
            if header.type == .regular {
                fileCount += 1
                unpackedSize += header.size ?? 0
            }
        }
        try reader.close()
    }

    /// Whether the tarball holds more than the `maxEntries` it was listed with.
    public func exceeds(_ maxEntries: Int) -> Bool { entryCount > maxEntries }
}
