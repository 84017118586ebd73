/// The result of unpacking a tarball.
public struct UnpackSummary: Sendable, Equatable {
    /// Regular files present in the destination afterwards (duplicates counted once).
    public var fileCount: Int
    /// Total size of those files, in bytes.
    public var unpackedSize: Int64
    /// Package-relative paths of symlinks and hard links that stayed inside the package and were
    /// skipped, as npm skips every link. In archive order.
    public var skippedLinks: [String]
    /// Folders the unpack created (each an inode and a block on disk, like a file).
    public var directoryCount: Int

    public init(fileCount: Int = 0, unpackedSize: Int64 = 0, skippedLinks: [String] = [], directoryCount: Int = 0) {
        self.fileCount = fileCount
        self.unpackedSize = unpackedSize
        self.skippedLinks = skippedLinks
        self.directoryCount = directoryCount
    }
}
