import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders of the TUF cache, created one level at a time and never through a symbolic link:
/// whoever can plant a link in the cache must not choose where TUF files are written.
enum TUFCacheFolder {
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates `folder` (its parents as needed) and refuses it unless it, and every folder between
    /// `top` and it, is a real directory (`top` itself may be a link, as `~/.cache` often is).
    static func make(_ folder: URL, below top: URL? = nil) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var current = folder.standardizedFileURL
        let stop = top?.standardizedFileURL.path
        while true {
            var status = stat()
            guard lstat(current.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw Refusal(description: "\(current.path) is not a real folder (a symbolic link or another file); refusing to write through it")
            }
            current = current.deletingLastPathComponent()
            guard let stop, current.path.hasPrefix(stop + "/") else { return }
        }
    }
}
