public import FoundationEssentials
import Glibc

/// The user's own folders (XDG base directories), as absolute paths only: an empty or relative
/// `HOME` or `XDG_*_HOME` is unset, as the XDG specification says, so nothing of verify-install's
/// lands in the current folder, where `npm pack` would ship it (found by review: `HOME=` put the
/// attestation key and cache into the project).
public enum UserFolders {
    /// `HOME` when absolute, else the account's home directory when absolute; nil otherwise.
    public static func home(environment: [String: String]) -> URL? {
        if let home = environment["HOME"], home.hasPrefix("/") { return URL(fileURLWithPath: home) }
        guard let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir else { return nil }
        let path = String(cString: directory)
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : nil
    }

    /// `$<variable>/verify-install` when the variable is absolute, else `<home>/<fallback>/verify-install`.
    public static func folder(_ variable: String, fallback: String, environment: [String: String]) -> URL? {
        if let base = environment[variable], base.hasPrefix("/") {
            return URL(fileURLWithPath: base).appendingPathComponent("verify-install")
        }
        return home(environment: environment)?.appendingPathComponent(fallback).appendingPathComponent("verify-install")
    }

    /// `url` with every symbolic link of its longest existing ancestor resolved (the rest appended
    /// as written), for comparing where two folders really are.
    /// nil when a `.` or `..` remains in the part that does not exist yet: the kernel resolves `..`
    /// after following a link, which text cannot (found by review: `link/..` hid the project).
    static func resolved(_ url: URL) -> String? {
        var parts = url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var rest: [String] = []
        while true {
            let path = "/" + parts.joined(separator: "/")
            if let real = realpath(path, nil) {
                defer { free(real) }
                guard !rest.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
                return ([String(cString: real)] + rest.reversed()).joined(separator: "/").replacing("//", with: "/")
            }
            guard let last = parts.popLast() else { return nil }
            rest.append(last)
        }
    }

    /// Whether one of the two folders lies inside the other (or they are the same): by their paths
    /// with links resolved, and by the identities (device, inode) of what exists, which a bind mount
    /// cannot hide (found by review). A path that cannot be resolved counts as overlapping.
    static func overlap(_ a: URL, _ b: URL) -> Bool {
        guard let x = resolved(a), let y = resolved(b) else { return true }
        func inside(_ inner: String, _ outer: String) -> Bool { inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/") }
        if inside(x, y) || inside(y, x) { return true }
        // Each folder that exists, against the other and every folder above the other.
        let (left, right) = (identities(x), identities(y))
        if let leftSelf = identity(x), right.contains(leftSelf) { return true }
        if let rightSelf = identity(y), left.contains(rightSelf) { return true }
        return false
    }

    /// (device, inode) of `path`, when it exists.
    private static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        return stat(path, &info) == 0 ? [UInt64(info.st_dev), UInt64(info.st_ino)] : nil
    }

    /// (device, inode) of `path` and of each folder above it that exists.
    private static func identities(_ path: String) -> [[UInt64]] {
        var found: [[UInt64]] = []
        var current = path
        while true {
            if let id = identity(current) { found.append(id) }
            guard current != "/", let slash = current.lastIndex(of: "/") else { break }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        return found
    }
}
