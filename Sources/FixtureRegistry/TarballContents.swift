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
    /// What a published tarball may unpack to: what verify-install unpacks (1 GiB of files, 512 MiB
    /// each), and a decompressed stream of at most that plus 64 MiB of headers, so a gzip bomb is
    /// refused after a second or two, not inflated in full.
    static let limits = TarballLimits(maxEntries: maxEntries, maxStreamBytes: TarballLimits.default.maxTotalBytes + (64 << 20))

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
