import FoundationEssentials
import Glibc

/// The entries of every `node_modules/.bin` folder of a tree and the real file each leads to.
/// npm's audit never looks there, yet `npm run`, `npx` and scripts put these folders first on
/// PATH (found by review: `.bin/tsc` linked to a file outside every package passed unseen).
enum BinFolders {
    /// One `.bin` entry: its location in the project, and its real target relative to the project
    /// (nil when it is no symbolic link, leads outside the project or to nothing).
    struct Entry: Sendable, Equatable {
        let location: String
        let target: String?
    }

    /// Most `.bin` entries read, so a hostile tree cannot make the audit list forever.
    static let maxEntries = 100_000

    /// The entries of `<folder>/.bin` for each `node_modules` folder in `folders` (relative to `prefix`).
    static func entries(prefix: URL, folders: Set<String>) -> [Entry] {
        guard let projectReal = realPath(prefix.path) else { return [] }
        var found: [Entry] = []
        for folder in folders.sorted() {
            let bin = prefix.appendingPathComponent(folder).appendingPathComponent(".bin")
            var status = stat()
            guard lstat(bin.path, &status) == 0 else { continue }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                found.append(Entry(location: "\(folder)/.bin", target: nil))
                continue
            }
            for name in InstalledTreeReader.children(of: bin) where found.count < maxEntries {
                let entry = bin.appendingPathComponent(name)
                var linkStatus = stat()
                let isLink = lstat(entry.path, &linkStatus) == 0 && linkStatus.st_mode & S_IFMT == S_IFLNK
                let real = isLink ? realPath(entry.path) : nil
                let target = real.flatMap { $0.hasPrefix(projectReal + "/") ? String($0.dropFirst(projectReal.count + 1)) : nil }
                found.append(Entry(location: "\(folder)/.bin/\(name)", target: target))
            }
        }
        return found
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
