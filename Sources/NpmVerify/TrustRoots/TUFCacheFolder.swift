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
    /// `top` and it, is a real directory (`top` itself may be a link, as `~/.cache` often is). Each
    /// level below `top` is checked before the next is made in it, so nothing is ever created
    /// through a planted link (found by review: a folder was made through it before the refusal).
    static func make(_ folder: URL, below top: URL? = nil) throws {
        let target = folder.standardizedFileURL
        var levels: [URL] = []
        var current = target
        if let stop = top?.standardizedFileURL.path {
            while current.path.hasPrefix(stop + "/") {
                levels.insert(current, at: 0)
                current = current.deletingLastPathComponent()
            }
        } else {
            levels = [target]
        }
        if levels.isEmpty { levels = [target] }
        try FileManager.default.createDirectory(at: levels[0].deletingLastPathComponent(), withIntermediateDirectories: true)
        for level in levels {
            if mkdir(level.path, 0o755) != 0, errno != EEXIST {
                throw Refusal(description: "cannot create \(level.path): \(String(cString: strerror(errno)))")
            }
            var status = stat()
            guard lstat(level.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw Refusal(description: "\(level.path) is not a real folder (a symbolic link or another file); refusing to write through it")
            }
        }
    }
}
