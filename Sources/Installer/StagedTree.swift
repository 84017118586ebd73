import FoundationEssentials
import Glibc
import CodedError
import DurableFile

/// A `node_modules` tree built beside the project and swapped in only when complete,
/// so a failed install leaves the existing `node_modules` exactly as it was.
final class StagedTree: Sendable {
    let prefix: URL
    /// `<prefix>/.verify-install-staging-<uuid>`; on the same file system, so moves are renames.
    let root: URL
    // `isDirectory:` given everywhere: without it, each append stats the file system to decide.
    var unpackRoot: URL { root.appendingPathComponent("unpacked", isDirectory: true) }
    var treeRoot: URL { root.appendingPathComponent("tree", isDirectory: true) }

    init(prefix: URL) throws {
        self.prefix = prefix
        root = prefix.appendingPathComponent(".verify-install-staging-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: unpackRoot, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: treeRoot.appendingPathComponent("node_modules"), withIntermediateDirectories: true)
        } catch {
            throw InstallError(.fileSystem, "cannot create staging folder \(root.path): \(systemErrorText(error))")
        }
    }

    /// Where package number `index` is unpacked before it is moved into the tree.
    func unpackDirectory(_ index: Int) -> URL { unpackRoot.appendingPathComponent(String(index), isDirectory: true) }

    /// The private file package number `index`'s tarball streams into (removed once unpacked).
    func tarballFile(_ index: Int) -> URL { unpackRoot.appendingPathComponent("\(index).tgz", isDirectory: false) }

    /// Moves every unpacked package to its install path inside the staged tree, parents first.
    func place(_ packages: [(index: Int, location: String)]) throws {
        var made: Set<String> = ["node_modules"]
        for package in packages.sorted(by: { ($0.location.count, $0.location) < ($1.location.count, $1.location) }) {
            let parent = package.location.lastIndex(of: "/").map { String(package.location[..<$0]) } ?? ""
            if !made.contains(parent) {
                try FileManager.default.createDirectory(at: treeRoot.appendingPathComponent(parent), withIntermediateDirectories: true)
                made.insert(parent)
            }
            try move(unpackDirectory(package.index), to: treeRoot.appendingPathComponent(package.location, isDirectory: true))
        }
    }

    /// Swaps the staged tree in as `<prefix>/node_modules` and installs `lockfile` beside it.
    /// Dot-folders of the old tree (tool caches such as `.cache`) are carried over.
    func commit(lockfile: Data?, lockfileName: String = "package-lock.json") throws {
        let fm = FileManager.default
        let live = prefix.appendingPathComponent("node_modules")
        let staged = treeRoot.appendingPathComponent("node_modules")
        let pendingLock = root.appendingPathComponent(lockfileName)
        if let lockfile {
            guard fm.createFile(atPath: pendingLock.path, contents: lockfile) else {
                throw InstallError(.fileSystem, "cannot write \(pendingLock.path)")
            }
        }
        let old = root.appendingPathComponent("previous-node_modules")
        var hadOld = false
        var carried: [String] = []
        do {
            if fm.fileExists(atPath: live.path) {
                for item in (try? fm.contentsOfDirectory(atPath: live.path)) ?? [] where item.hasPrefix(".") && item != ".bin" && item != ".package-lock.json" {
                    if (try? move(live.appendingPathComponent(item), to: staged.appendingPathComponent(item))) != nil { carried.append(item) }
                }
                try move(live, to: old)
                hadOld = true
            }
            try move(staged, to: live)
        } catch {
            // Put everything back as it was: the old tree, and the dot-folders carried out of it
            // (they would otherwise go with the staging folder).
            if hadOld { try? move(old, to: live) }
            for item in carried { try? move(staged.appendingPathComponent(item), to: live.appendingPathComponent(item)) }
            throw error
        }
        if lockfile != nil {
            try move(pendingLock, to: prefix.appendingPathComponent(lockfileName))
        }
    }

    /// Removes everything staged (after success or failure), however deep; a failure is a warning.
    func discard(warn: (String) -> Void = { _ in }) {
        do { try DurableFile.removeTree(root.path) } catch {
            warn("could not remove the staging folder \(root.path): \(error)")
        }
    }

    /// rename(2): atomic on one file system, and the staging folder sits beside the target.
    private func move(_ from: URL, to: URL) throws {
        if Glibc.rename(from.path, to.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw InstallError(.fileSystem, "cannot move \(from.path) to \(to.path): \(reason)")
        }
    }
}
