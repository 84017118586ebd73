#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DurableFile {
    /// Removes `path` and everything below it, walking by directory descriptors: each folder is
    /// opened relative to its parent with `O_NOFOLLOW`, so trees deeper than `PATH_MAX` go too,
    /// and symbolic links inside are removed, never followed. A missing `path` is not an error.
    /// Throws the first failure; what could be removed before it is gone.
    public static func removeTree(_ path: String) throws(Failure) {
        if unlink(path) == 0 || errno == ENOENT { return }
        guard errno == EISDIR || errno == EPERM else { throw Failure("unlink", path) }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure("open", path) }
        try emptyDirectory(descriptor, path: path)
        guard rmdir(path) == 0 || errno == ENOENT else { throw Failure("rmdir", path) }
    }

    /// Removes every entry of the open directory `descriptor` (which it closes).
    private static func emptyDirectory(_ descriptor: Int32, path: String) throws(Failure) {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            throw Failure("fdopendir", path)
        }
        defer { closedir(directory) }
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { throw Failure("readdir", path) }
                return
            }
            // The raw name bytes, NUL-terminated: a name that is not UTF-8 must still be removable.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }) + [0] }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            let shown = path + "/" + String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let parent = dirfd(directory)
            if unlinkat(parent, name, 0) == 0 || errno == ENOENT { continue }
            guard errno == EISDIR || errno == EPERM else { throw Failure("unlinkat", shown) }
            let child = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { throw Failure("openat", shown) }
            try emptyDirectory(child, path: shown)
            guard unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT else { throw Failure("rmdir", shown) }
        }
    }
}
