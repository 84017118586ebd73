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
    /// Held for a whole commit. `abandoned`: an interrupt removed the tree, it never commits;
    /// `kept`: a failed commit could not put everything back, so the folder stays for recovery;
    /// `committed`: the new tree and files are in place.
    let commitState = Mutex((abandoned: false, kept: false, committed: false))
    /// Whether the old tree's dot-folders (tool caches such as `.cache`) move into the new one:
    /// install keeps them; ci, like `npm ci`, empties node_modules whole (found by review: a
    /// `.prisma/client` nobody verified, which `require(".prisma/client")` loads, outlived `ci`).
    let keepsDotEntries: Bool
    /// The project files as they were when the run read them; a commit refuses if one changed.
    let projectFileStamps: ProjectFileStamps
    /// The project files a commit may replace (what recovery puts back).
    static let projectFiles = ["npm-shrinkwrap.json", "package-lock.json", "package.json"]
    // `isDirectory:` given everywhere: without it, each append stats the file system to decide.
    var unpackRoot: URL { root.appendingPathComponent("unpacked", isDirectory: true) }
    var treeRoot: URL { root.appendingPathComponent("tree", isDirectory: true) }

    /// A new staging folder in `prefix` (whose ``ProjectLock`` the caller holds).
    init(prefix: URL, keepsDotEntries: Bool = true) throws {
        self.prefix = prefix
        self.keepsDotEntries = keepsDotEntries
        projectFileStamps = ProjectFileStamps(prefix: prefix, names: Self.projectFiles)
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

    /// rename(2): atomic on one file system, and the staging folder sits beside the target.
    func move(_ from: URL, to: URL) throws {
        if Glibc.rename(from.path, to.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw InstallError(.fileSystem, "cannot move \(from.path) to \(to.path): \(reason)")
        }
    }
}
