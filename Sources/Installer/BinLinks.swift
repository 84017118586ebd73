import FoundationEssentials
import Glibc

/// `node_modules/.bin` links for packages' `bin` entries, as npm makes them.
enum BinLinks {
    /// Links each bin of the package at `location` from its parent's `node_modules/.bin`.
    /// Hostile names or paths (slashes, `..`, absolute paths) are skipped with a warning.
    static func link(name: String, bins: [String: String], location: String, in treeRoot: URL, warn: (String) -> Void) {
        let parentModules = location.components(separatedBy: "/node_modules/").dropLast().joined(separator: "/node_modules/")
        let binDirectory = treeRoot.appendingPathComponent((parentModules.isEmpty ? "node_modules" : parentModules + "/node_modules") + "/.bin")
        for (rawName, rawPath) in bins.sorted(by: { $0.key < $1.key }) {
            let binName = rawName.split(separator: "/").last.map(String.init) ?? rawName
            let path = normalised(rawPath)
            guard isSafeName(binName), let path else {
                warn("\(name): ignored unsafe bin entry '\(rawName)' -> '\(rawPath)'")
                continue
            }
            try? FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
            let link = binDirectory.appendingPathComponent(binName)
            try? FileManager.default.removeItem(at: link)
            let target = "../\(name)/\(path)"
            if symlink(target, link.path) != 0 {
                warn("\(name): could not link bin \(binName): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }

    /// A package-relative path without `./`, or nil if it is absolute or climbs out.
    static func normalised(_ path: String) -> String? {
        guard !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return nil }
        let parts = path.split(separator: "/").filter { $0 != "." }
        guard !parts.isEmpty, !parts.contains("..") else { return nil }
        return parts.joined(separator: "/")
    }
}
