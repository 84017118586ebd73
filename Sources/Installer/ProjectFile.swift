import CodedError
import DurableFile
import FoundationEssentials
import Glibc

/// The project's own files (`package.json`, `package-lock.json`), read within a size limit: only
/// a file that does not exist counts as absent. One that cannot be read, is not a regular file or
/// is too large is an error naming it, never taken for a new project whose file may be replaced.
enum ProjectFile {
    /// Largest `package.json` read.
    static let maxManifestBytes = 16 * 1024 * 1024
    /// Largest `package-lock.json` read (a large monorepo's is tens of MB; parsed, a document takes
    /// about 14 times its size in memory).
    static let maxLockfileBytes = 128 * 1024 * 1024

    /// The lockfile npm reads and writes for the project: `npm-shrinkwrap.json` whenever it is
    /// there (npm then ignores `package-lock.json`), else `package-lock.json`. Found by review:
    /// `ci` installed the package-lock.json beside a shrinkwrap that npm and verify-lockfile read.
    /// Like npm (`data = shrinkwrap || lock`), an empty or dangling shrinkwrap counts as none.
    static func lockfile(in prefix: URL) -> URL {
        let shrinkwrap = prefix.appendingPathComponent("npm-shrinkwrap.json")
        var status = stat()
        let present = stat(shrinkwrap.path, &status) == 0 && !(status.st_mode & S_IFMT == S_IFREG && status.st_size == 0)
        return present ? shrinkwrap : prefix.appendingPathComponent("package-lock.json")
    }

    static func read(_ file: URL, limit: Int) throws -> Data? {
        do { return try DurableFile.read(file.path, limit: limit) } catch {
            throw InstallError(.fileSystem, "cannot read \(file.path): \(error)")
        }
    }
}
