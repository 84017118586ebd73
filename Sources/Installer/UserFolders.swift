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
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while existing.path != "/" {
            if let real = realpath(existing.path, nil) {
                defer { free(real) }
                return ([String(cString: real)] + rest.reversed()).joined(separator: "/")
            }
            rest.append(existing.lastPathComponent)
            existing = existing.deletingLastPathComponent()
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    /// Whether one of the two folders lies inside the other (or they are the same), links resolved.
    static func overlap(_ a: URL, _ b: URL) -> Bool {
        let (x, y) = (resolved(a), resolved(b))
        func inside(_ inner: String, _ outer: String) -> Bool { inner == outer || inner.hasPrefix(outer.hasSuffix("/") ? outer : outer + "/") }
        return inside(x, y) || inside(y, x)
    }
}
