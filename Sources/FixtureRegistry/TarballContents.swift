import Foundation
import Tarball

/// What npm's registry records about a tarball's contents: `dist.fileCount`
/// (regular files) and `dist.unpackedSize` (their total size in bytes).
///
/// Read through ``TarballListing`` (headers only).
struct TarballContents: Sendable, Hashable {
    var fileCount = 0
    var unpackedSize: Int64 = 0

    /// Most entries a tarball may hold before the registry refuses it.
    static let maxEntries = 100_000
    /// What a published tarball may unpack to: 256 MiB of files (npm's consumers cap at 1 GiB), and
    /// a decompressed stream of at most that plus 64 MiB of headers, so a gzip bomb is refused
    /// after a fraction of a second, not inflated in full.
    static let limits = TarballLimits(maxEntries: maxEntries, maxTotalBytes: 256 << 20, maxEntryBytes: 256 << 20,
                                      maxStreamBytes: (256 << 20) + (64 << 20))

    init(of tarball: Data, package: PackageName, version: String) throws(RegistryError) {
        let listing: TarballListing
        do { listing = try TarballListing(of: tarball, maxEntries: Self.maxEntries, limits: Self.limits) } catch {
            throw .invalidManifest(package: "\(package)@\(version)", reason: "the tarball is not a readable .tgz: \(error)")
        }
        guard !listing.exceeds(Self.maxEntries) else {
            throw .invalidManifest(package: "\(package)@\(version)", reason: "the tarball holds more than \(Self.maxEntries) entries")
        }
        (fileCount, unpackedSize) = (listing.fileCount, listing.unpackedSize)
    }
}
