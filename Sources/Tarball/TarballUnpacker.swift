public import FoundationEssentials
import CodedError
import Glibc
public import Integrity
import DurableFile
import LibArchive

/// Unpacks npm package tarballs safely, with npm's on-disk result.
///
/// Semantics follow pacote's extraction: the first path component is stripped whatever it is
/// called; links are not created (those that stay inside the package are skipped and reported,
/// those that would escape are refused); directory entries are not materialised, parents are
/// created 0755; files get 0644, or 0755 when the tar mode has an execute bit or the path is a
/// package bin; `.gitignore` becomes `.npmignore` unless one was already unpacked; duplicates
/// overwrite. Safety: absolute paths, `..`, NUL, over-long paths, devices, FIFOs and sockets are
/// refused, nothing is opened through a symlink, and `TarballLimits` are enforced while streaming.
///
/// Blocking I/O: call it off the cooperative thread pool.
public struct TarballUnpacker: Sendable {
    public let limits: TarballLimits
    /// Whether missing folders above the destination are created. An installer whose staging
    /// folder may be removed under it (an interrupt) says no: a late unpack must fail, not make
    /// the removed folder again (found by review: a staging folder outlived an interrupted run).
    public let createsParents: Bool

    public init(limits: TarballLimits = .default, createsParents: Bool = true) {
        self.limits = limits
        self.createsParents = createsParents
    }

    /// Unpacks a verified gzipped tar into `destination`, which must not exist yet; it is created
    /// (with any missing parents). Only `VerifiedBytes` are accepted, so nothing whose digest was not
    /// checked is ever unpacked. Bytes in a staging file are streamed from disk, never read whole.
    /// On any error `destination` is removed completely (no half-written package is left behind)
    /// and the error is thrown. A pre-existing destination is reported as `destinationExists` and
    /// left untouched.
    ///
    /// - Parameter executablePaths: package-relative paths (after stripping) that npm makes
    ///   executable, i.e. the package's bins.
    public func unpack(_ tgz: VerifiedBytes, into destination: URL, executablePaths: Set<String> = []) throws(TarballError) -> UnpackSummary {
        switch tgz.content {
        case .memory(let data):
            return try unpack(count: data.count, destination: destination, executablePaths: executablePaths) { () throws(ArchiveError) in
                try ArchiveReader(data: data, limits: limits.stream)
            }
        case .file(let path):
            var info = stat()
            guard lstat(path.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                throw TarballError(.corruptArchive, "\(path.path) is not a regular file")
            }
            return try unpack(count: Int(info.st_size), destination: destination, executablePaths: executablePaths) { () throws(ArchiveError) in
                try ArchiveReader(path: path.path, limits: limits.stream)
            }
        }
    }

    // MARK: - Implementation

    private func unpack(count: Int, destination: URL, executablePaths: Set<String>,
                        openReader: () throws(ArchiveError) -> ArchiveReader) throws(TarballError) -> UnpackSummary {
        guard count <= limits.maxCompressedBytes else {
            throw TarballError(.tooLarge, "expected at most \(limits.maxCompressedBytes) compressed bytes, found \(count)")
        }
        let path = destination.standardizedFileURL.path
        try createParent(of: path)
        let root = try DirectoryHandle.createRoot(at: path)
        do throws(TarballError) {
            let reader: ArchiveReader
            do {
                reader = try openReader()
            } catch {
                throw TarballError(.corruptArchive, "expected a gzipped tar archive, found: \(error.message)")
            }
            let session = UnpackSession(limits: limits, root: root, executablePaths: executablePaths)
            return try session.run(reader)
        } catch {
            // Removal never follows symlinks (and the unpacker never creates any), whatever the depth.
            try? DurableFile.removeTree(path)
            throw error
        }
    }

    private func createParent(of path: String) throws(TarballError) {
        let parent = Self.parentPath(of: path)
        var info = stat()
        if stat(parent, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }  // the usual case, one call
        guard createsParents else { throw TarballError(.io, "expected the folder '\(parent)' to exist, found none") }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw TarballError(.io, "expected to create parent directory '\(parent)', found: \(systemErrorText(error))")
        }
    }

    /// `path` without its last component (trailing slashes ignored): `/` for `/a`, "" for `a`.
    static func parentPath(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
