import FoundationEssentials
import SafeJSON
import Glibc

/// What a commit is about to change, written before its first move (`commit-started` in the
/// staging folder): the identity (device and inode) of the staged tree, of the live tree it
/// replaces, and of each project file it puts in place. Recovery acts only where what it finds
/// still has those identities, so a folder it did not make, or a project changed since, is left
/// alone; identities cannot be planted with a cloned repository.
struct CommitJournal: Equatable {
    struct FileID: Equatable {
        let device: UInt64
        let inode: UInt64

        /// The identity of whatever is at `url` (not following a link), or nil when nothing is;
        /// with `folder`, nil unless it is a real folder.
        init?(_ url: URL, folder: Bool = false) {
            var status = stat()
            guard lstat(url.path, &status) == 0, !folder || status.st_mode & S_IFMT == S_IFDIR else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }

        init(device: UInt64, inode: UInt64) {
            self.device = device
            self.inode = inode
        }
    }

    struct ProjectFileChange: Equatable {
        let name: String
        let pending: FileID
        /// SHA-256 (hex) of the pending file: an inode can be written over in place, or reused.
        let digest: String
        /// The project's file before (kept aside as `previous-<name>`); nil when there was none.
        let previous: FileID?
        var existed: Bool { previous != nil }
    }

    static let fileName = "commit-started"
    /// The first line: a journal of another format is not read as this one.
    static let versionLine = "verify-install commit journal 1"
    static let maxBytes = 4096
    /// The file in the staged tree's root holding ``marker``; removed once the commit is over.
    static let markerName = ".verify-install-commit"

    /// Whether the node_modules entry `name` is one the commit carries from the old tree into the
    /// new one, and a rollback carries back: a dot-entry (package names never start with a dot),
    /// but not `.bin` or `.package-lock.json`, which every tree has its own of, nor the marker.
    /// One rule for both directions (found by review: the rollback took the new tree's hidden
    /// lockfile for a carried one, and refused to run wherever the old tree had one too).
    static func isCarriedDotEntry(_ name: String) -> Bool {
        name.hasBytePrefix(".") && name != ".bin" && name != ".package-lock.json" && name != markerName
    }

    /// The staging folder itself: a journal copied into another folder never matches.
    let root: FileID
    let staged: FileID
    /// A random token also written into the staged tree (``markerName``): a folder that took over
    /// the staged tree's inode after it was removed is not taken for it.
    let marker: String
    let old: FileID?
    var files: [ProjectFileChange] = []

    var text: String {
        func id(_ id: FileID?) -> String { id.map { "\($0.device) \($0.inode)" } ?? "none" }
        return ([Self.versionLine, "root \(id(root))", "staged \(id(staged))", "marker \(marker)", "old \(id(old))"]
            + files.map { "file \($0.name) \($0.digest) \(id($0.pending)) \(id($0.previous))" }).joined(separator: "\n") + "\n"
    }

    /// Parses `text`; nil unless every line is well formed and names only `allowedFiles`.
    init?(text: String, allowedFiles: [String]) {
        var root: FileID??, staged: FileID??, old: FileID??, marker: String?
        var files: [ProjectFileChange] = []
        func id(_ fields: ArraySlice<Substring>) -> FileID?? {
            if fields.count == 1, fields.first == "none" { return .some(nil) }
            guard fields.count == 2, let device = UInt64(fields.first!), let inode = UInt64(fields.last!) else { return nil }
            return .some(FileID(device: device, inode: inode))
        }
        let lines = text.split(separator: "\n")
        guard lines.first == Substring(Self.versionLine) else { return nil }
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            switch fields.first {
            case "root": root = id(fields.dropFirst())
            case "staged": staged = id(fields.dropFirst())
            case "marker": marker = fields.count == 2 ? String(fields[1]) : nil
            case "old": old = id(fields.dropFirst())
            case "file":
                guard fields.count >= 6, allowedFiles.contains(String(fields[1])), case .some(.some(let pending)) = id(fields[3...4]),
                      case .some(let previous) = id(fields.dropFirst(5)) else { return nil }
                files.append(ProjectFileChange(name: String(fields[1]), pending: pending, digest: String(fields[2]), previous: previous))
            default: return nil
            }
        }
        guard case .some(.some(let rootID)) = root, case .some(.some(let stagedID)) = staged, let old, let marker else { return nil }
        self.init(root: rootID, staged: stagedID, marker: marker, old: old, files: files)
    }

    init(root: FileID, staged: FileID, marker: String, old: FileID?, files: [ProjectFileChange] = []) {
        self.root = root
        self.staged = staged
        self.marker = marker
        self.old = old
        self.files = files
    }
}
