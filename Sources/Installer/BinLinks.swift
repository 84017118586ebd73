import FoundationEssentials
import Glibc
import NpmModel

/// `node_modules/.bin` links for packages' `bin` entries, as npm makes them.
enum BinLinks {
    /// Links each bin of the package at `location` from its parent's `node_modules/.bin`.
    /// Hostile names or paths (slashes, `..`, absolute paths) are skipped with a warning, and so is
    /// a bin name another package of the tree already linked.
    static func link(name: String, bins: [String: String], location: String, in treeRoot: URL, warn: (String) -> Void) {
        // Paths are read segment by segment (`@s/node_modules` is a package), and the link points
        // into the package's own folder, which for an alias is not its name.
        guard let names = Lockfile.installPathNames(location), let folder = names.last else {
            warn("\(name): not linking bins of \(location), which is not an install path")
            return
        }
        let parent = Lockfile.installPath(names.dropLast())
        let binDirectory = treeRoot.appendingPathComponent((parent.isEmpty ? "" : parent + "/") + "node_modules/.bin")
        for (rawName, rawPath) in bins.sorted(by: { $0.key < $1.key }) {
            let binName = components(rawName).last.map(String.init) ?? rawName
            let path = normalised(rawPath)
            guard isSafeName(binName), let path else {
                warn("\(name): ignored unsafe bin entry '\(rawName)' -> '\(rawPath)'")
                continue
            }
            try? FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
            let link = binDirectory.appendingPathComponent(binName)
            let target = "../\(folder)/\(path)"
            // The staged tree starts empty: a link already there is another package's bin of this
            // run. The first one (in resolution order, shallower first) stays; none is taken over.
            var existing = stat()
            if lstat(link.path, &existing) == 0 {
                let owner = (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) ?? "another package"
                warn("\(name): bin \(binName) is already linked to \(owner); kept that one, not ../\(name)/\(path)")
                continue
            }
            if symlink(target, link.path) != 0 {
                warn("\(name): could not link bin \(binName): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Checked on bytes, never on Characters: `/` glued to a combining mark is one Character that
    /// still holds the `/` byte the kernel splits on.
    static func isSafeName(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && !bytes.elementsEqual(".".utf8) && !bytes.elementsEqual("..".utf8)
            && !bytes.contains(UInt8(ascii: "/")) && !bytes.contains(UInt8(ascii: "\\")) && !bytes.contains(0)
    }

    /// A package-relative path without `./`, or nil if it is absolute or climbs out (bytes again).
    static func normalised(_ path: String) -> String? {
        let bytes = path.utf8
        guard bytes.first != UInt8(ascii: "/"), !bytes.contains(0), !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        let parts = components(path).filter { !$0.isEmpty && !$0.utf8.elementsEqual(".".utf8) }
        guard !parts.isEmpty, !parts.contains(where: { $0.utf8.elementsEqual("..".utf8) }) else { return nil }
        return parts.joined(separator: "/")
    }

    /// `text` split on the `/` byte, empty components kept.
    static func components(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
    }
}
