import Foundation
import LibArchive

/// What npm's registry records about a tarball's contents: `dist.fileCount`
/// (regular files) and `dist.unpackedSize` (their total size in bytes).
///
/// Only the headers are read (libarchive skips the data), so a large tarball
/// costs one decompression pass and no copies.
struct TarballContents: Sendable, Hashable {
    var fileCount = 0
    var unpackedSize: Int64 = 0

    /// Most entries a tarball may hold before the registry refuses it.
    static let maxEntries = 100_000

    init(of tarball: Data, package: PackageName, version: String) throws(RegistryError) {
        var entries = 0
        do throws(ArchiveError) {
            let reader = try ArchiveReader(data: tarball)
            while entries <= Self.maxEntries, let header = try reader.nextEntry() {
                entries += 1
                if header.type == .regular {
                    fileCount += 1
                    unpackedSize += header.size ?? 0
                }
            }
            try reader.close()
        } catch {
            throw .invalidManifest(package: "\(package)@\(version)", reason: "the tarball is not a readable .tgz: \(error)")
        }
        guard entries <= Self.maxEntries else {
            throw .invalidManifest(package: "\(package)@\(version)", reason: "the tarball holds more than \(Self.maxEntries) entries")
        }
    }
}
