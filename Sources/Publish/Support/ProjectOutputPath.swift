import Foundation
import CodedError
import Glibc

/// What mochi-pkg writes inside a project stays inside it: no component of the path it writes to
/// may be a symbolic link, which would carry the write out of the project.
enum ProjectOutputPath {
    /// Refuses `relative` under `project` when any existing component of it (the file included)
    /// is a symbolic link; `what` names the write in the error.
    static func refuseSymlinks(in project: URL, _ relative: String, what: String) throws(PublishError) {
        var current = project
        for component in relative.split(separator: "/") {
            current = current.appendingPathComponent(String(component))
            var info = stat()
            if lstat(current.path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw PublishError(.invalidPackage, "refusing to write \(what) through \(current.path): it is a symlink, which would carry the write out of the project")
            }
        }
    }
}
