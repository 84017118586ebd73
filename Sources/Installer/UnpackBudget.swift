import Synchronization
import Tarball

/// The most one run may unpack, all packages together. Each tarball has its own caps
/// (`TarballLimits`: 1 GiB, 100 000 entries), but a tree of many small gzip bombs stays under
/// them one by one and still fills the disk (found by review: 3 MB of tarballs became 3 GiB).
public struct UnpackBudget: Sendable {
    /// Bytes on disk, all packages together: each file's bytes, plus one 4 KiB block for every
    /// file and folder (found by review: 8 KB of tarball made 97 000 empty folders, 381 MiB).
    public var maxBytes: Int64
    /// Files and folders created, all packages together.
    public var maxFiles: Int

    /// 16 GiB in 4 million files: far beyond the largest real trees, far below a full disk.
    public static let `default` = UnpackBudget()

    public init(maxBytes: Int64 = 16 << 30, maxFiles: Int = 4_000_000) {
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }
}

/// What a run's packages have unpacked so far, against its ``UnpackBudget``. The check follows
/// each package, so a run overshoots by at most the packages being unpacked at that moment.
final class UnpackTally: Sendable {
    let budget: UnpackBudget
    private let used = Mutex<(bytes: Int64, files: Int)>((0, 0))

    /// What a file or folder takes on disk at least.
    static let blockBytes: Int64 = 4096

    init(_ budget: UnpackBudget) { self.budget = budget }

    /// Adds one package's files; throws once the run is beyond its budget.
    func add(_ summary: UnpackSummary, of subject: String) throws(InstallError) {
        let created = summary.fileCount + summary.directoryCount
        let total = used.withLock { used -> (bytes: Int64, files: Int) in
            used.bytes += summary.unpackedSize + Int64(created) * Self.blockBytes
            used.files += created
            return used
        }
        guard total.bytes <= budget.maxBytes, total.files <= budget.maxFiles else {
            throw InstallError(.verification, "unpacking \(subject) brought the run to \(total.bytes) bytes in \(total.files) files and folders, beyond the limit of \(budget.maxBytes) bytes in \(budget.maxFiles) files and folders for all packages together: the tree is refused rather than let fill the disk")
        }
    }
}
