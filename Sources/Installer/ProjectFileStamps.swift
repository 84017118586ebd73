import FoundationEssentials
import Glibc

/// What the project's own files looked like when the run read them: identity, size and times of
/// each (or its absence), taken when the staging folder is made, right after the reads.
///
/// A commit replaces `package.json` and the lockfile with versions made from what was read, so an
/// edit in between would be lost without a word (found by review: a user's new `scripts` and
/// dependency vanished). The commit compares the stamps first and refuses instead.
struct ProjectFileStamps: Sendable {
    struct Stamp: Equatable, Sendable {
        let device: UInt64, inode: UInt64, size: Int64
        let modified: timespec, changed: timespec

        static func == (a: Stamp, b: Stamp) -> Bool {
            (a.device, a.inode, a.size) == (b.device, b.inode, b.size)
                && (a.modified.tv_sec, a.modified.tv_nsec, a.changed.tv_sec, a.changed.tv_nsec)
                == (b.modified.tv_sec, b.modified.tv_nsec, b.changed.tv_sec, b.changed.tv_nsec)
        }
    }

    private let stamps: [String: Stamp?]
    let prefix: URL

    /// Stamps `names` in `prefix` as they are now.
    init(prefix: URL, names: [String]) {
        self.prefix = prefix
        stamps = Dictionary(uniqueKeysWithValues: names.map { ($0, Self.stamp(prefix.appendingPathComponent($0))) })
    }

    /// The file's stamp (not following a link), or nil when nothing is there.
    static func stamp(_ url: URL) -> Stamp? {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return nil }
        return Stamp(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
                     modified: status.st_mtim, changed: status.st_ctim)
    }

    /// Refuses when any of `names` changed since it was stamped, or is a symbolic link: the run
    /// read through the link, and replacing the link would leave the user's edits in its target
    /// (found by a re-attack); verify-install replaces only regular files, never writes through one.
    func refuseChanges(to names: [String]) throws {
        for name in names {
            let file = prefix.appendingPathComponent(name)
            var status = stat()
            if lstat(file.path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw InstallError(.fileSystem, "\(file.path) is a symbolic link; verify-install replaces only regular files and never writes through a link, so nothing was changed: replace the link with the file, or run npm")
            }
            guard let before = stamps[name], before != Self.stamp(file) else { continue }
            let what = before == nil ? "appeared" : Self.stamp(file) == nil ? "was removed" : "changed"
            throw InstallError(.fileSystem, "\(file.path) \(what) while verify-install ran; it would have been replaced by a version made from what was read before, losing that change, so nothing was changed: run again")
        }
    }
}
