import FoundationEssentials
import Glibc
import CodedError
import DurableFile
import Synchronization

/// A `node_modules` tree built beside the project and swapped in only when complete,
/// so a failed install leaves the existing `node_modules` exactly as it was.
final class StagedTree: Sendable {
    let prefix: URL
    /// `<prefix>/.verify-install-staging-<random>`; on the same file system, so moves are renames.
    let root: URL
    /// Held for a whole commit; set once the tree is abandoned (an interrupt), after which it never commits.
    private let commitLock = Mutex(false)
    /// The project files a commit may replace (what recovery puts back).
    static let projectFiles = ["package-lock.json", "package.json"]
    // `isDirectory:` given everywhere: without it, each append stats the file system to decide.
    var unpackRoot: URL { root.appendingPathComponent("unpacked", isDirectory: true) }
    var treeRoot: URL { root.appendingPathComponent("tree", isDirectory: true) }

    /// A new staging folder in `prefix` (whose ``ProjectLock`` the caller holds).
    init(prefix: URL) throws {
        self.prefix = prefix
        root = prefix.appendingPathComponent(StagingRecovery.folderPrefix + UUID().uuidString.prefix(13))
        do {
            try FileManager.default.createDirectory(at: unpackRoot, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: treeRoot.appendingPathComponent("node_modules"), withIntermediateDirectories: true)
        } catch {
            throw InstallError(.fileSystem, "cannot create staging folder \(root.path): \(systemErrorText(error))")
        }
        StagingRegistry.add(self)
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
            let destination = treeRoot.appendingPathComponent(package.location, isDirectory: true)
            if CommitJournal.FileID(destination) != nil {
                throw InstallError(.verification, "\(package.location) is already provided by the tarball of a package above it (a bundled dependency), where the plan puts a registry package: npm would use the bundled copy")
            }
            try move(unpackDirectory(package.index), to: destination)
        }
    }

    /// Swaps the staged tree in as `<prefix>/node_modules` and puts `projectFiles` beside it, all
    /// or nothing: when any step fails, the old tree, its dot-folders and the old files are put back.
    /// Dot-folders of the old tree (tool caches such as `.cache`) are carried over; a
    /// `node_modules` that is a symbolic link or a file is refused, never written through.
    func commit(projectFiles: [(name: String, data: Data)]) throws {
        try commitLock.withLock { abandoned in
            guard !abandoned else { throw InstallError(.fileSystem, "the install was interrupted") }
            try swapIn(projectFiles)
        }
    }

    /// Removes the staging folder for good (an interrupt), once no commit is in progress.
    func abandon() {
        commitLock.withLock { abandoned in
            abandoned = true
            unlink(journal.path)
            try? DurableFile.removeTree(root.path)
        }
    }

    /// `commit-started`: removed first whenever the folder goes, so a removal cut short never
    /// looks like a commit to undo.
    private var journal: URL { root.appendingPathComponent(CommitJournal.fileName) }

    private func swapIn(_ projectFiles: [(name: String, data: Data)]) throws {
        let live = prefix.appendingPathComponent("node_modules")
        let staged = treeRoot.appendingPathComponent("node_modules")
        let hadOld = try Self.isRealFolder(live)
        for file in projectFiles {
            guard FileManager.default.createFile(atPath: pending(file.name).path, contents: file.data) else {
                throw InstallError(.fileSystem, "cannot write \(pending(file.name).path)")
            }
        }
        var undo: [() -> Void] = []
        try writeJournal(projectFiles.map(\.name), staged: staged, old: hadOld ? live : nil)
        do {
            if hadOld {
                try carryDotEntries(from: live, to: staged, undo: &undo)
                try move(live, to: old)
                undo.append { [self] in try? move(old, to: live) }
            }
            try move(staged, to: live)
            undo.append { [self] in try? move(live, to: staged) }
            for file in projectFiles { try replace(file.name, undo: &undo) }
        } catch {
            undo.reversed().forEach { $0() }
            unlink(journal.path)
            throw error
        }
        unlink(journal.path)  // done: nothing left to undo
    }

    /// Records what the commit will change (``CommitJournal``) before it moves anything.
    private func writeJournal(_ names: [String], staged: URL, old: URL?) throws {
        guard let stagedID = CommitJournal.FileID(staged) else { throw InstallError(.fileSystem, "the staged tree \(staged.path) is missing") }
        var entry = CommitJournal(staged: stagedID, old: old.flatMap(CommitJournal.FileID.init))
        for name in names {
            guard let pendingID = CommitJournal.FileID(pending(name)) else { throw InstallError(.fileSystem, "cannot find \(pending(name).path)") }
            entry.files.append(.init(name: name, existed: CommitJournal.FileID(prefix.appendingPathComponent(name)) != nil, pending: pendingID))
        }
        do { try DurableFile.write(Data(entry.text.utf8), to: journal) } catch {
            throw InstallError(.fileSystem, "cannot write \(journal.path): \(error)")
        }
    }

    private var old: URL { root.appendingPathComponent("previous-node_modules") }
    private func pending(_ name: String) -> URL { root.appendingPathComponent("pending-" + name) }

    /// Whether `node_modules` exists as a real folder; throws when it is anything else.
    private static func isRealFolder(_ url: URL) throws -> Bool {
        var status = stat()
        guard lstat(url.path, &status) == 0 else {
            if errno == ENOENT { return false }
            throw InstallError(.fileSystem, "cannot inspect \(url.path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw InstallError(.fileSystem, "\(url.path) is not a real folder (a symbolic link or a file): verify-install replaces only a real node_modules folder, so it is left as it is")
        }
        return true
    }

    /// Moves the old tree's dot-entries (except `.bin` and `.package-lock.json`) into the staged tree;
    /// one that cannot be moved fails the commit rather than being dropped with the old tree.
    private func carryDotEntries(from live: URL, to staged: URL, undo: inout [() -> Void]) throws {
        let items: [String]
        do { items = try FileManager.default.contentsOfDirectory(atPath: live.path) } catch {
            throw InstallError(.fileSystem, "cannot list \(live.path): \(systemErrorText(error))")
        }
        for item in items.sorted() where item.hasPrefix(".") && item != ".bin" && item != ".package-lock.json" {
            let (from, to) = (live.appendingPathComponent(item), staged.appendingPathComponent(item))
            try move(from, to: to)
            undo.append { [self] in try? move(to, to: from) }
        }
    }

    /// Puts the pending `name` in place of the project's, keeping the old one aside until the end.
    private func replace(_ name: String, undo: inout [() -> Void]) throws {
        let target = prefix.appendingPathComponent(name), previous = root.appendingPathComponent("previous-" + name)
        if Glibc.rename(target.path, previous.path) == 0 {
            undo.append { [self] in try? move(previous, to: target) }
        } else if errno != ENOENT {
            throw InstallError(.fileSystem, "cannot replace \(target.path): \(String(cString: strerror(errno)))")
        }
        try move(pending(name), to: target)
        undo.append { [self] in try? move(target, to: pending(name)) }
    }

    /// Removes everything staged (after success or failure), however deep; a failure is a warning.
    func discard(warn: (String) -> Void = { _ in }) {
        StagingRegistry.remove(self)
        unlink(journal.path)
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
