public import FoundationEssentials
import CodedError
import Glibc
import LibArchive

/// Packs package files into a gzipped tarball the way `npm pack` lays it out, reproducibly.
///
/// Every entry lives under `package/`, carries the fixed mtime npm uses (1985-10-26T08:15:00Z),
/// uid/gid 0 and no user or group names, and mode 0644 (0755 when executable). Entries are
/// sorted by path bytes and no directory entries are written, so the same files always give
/// byte-identical output regardless of input order. Long or non-ASCII paths get pax headers.
public enum TarballPacker {
    /// npm's fixed entry mtime, 1985-10-26T08:15:00.000Z, in seconds since the epoch.
    public static let modificationTime: Int64 = 499_162_500

    /// Directory names never descended into by `pack(directory:)`.
    public static let skippedDirectoryNames: Set<String> = ["node_modules", ".git"]

    // MARK: - Packing file lists

    /// Packs `files` (package-relative paths) deterministically; see the type documentation.
    /// Throws `invalidPath`/`absolutePath`/`pathTraversal`/`pathTooLong` for bad paths and
    /// `duplicatePath` when two files normalise to the same path.
    public static func pack(files: [PackFile]) throws(TarballError) -> Data {
        var entries: [(path: String, file: PackFile)] = []
        var seen = Set<[UInt8]>()
        for file in files {
            let path = try normalizedPath(file.path)
            guard seen.insert(Array(path.utf8)).inserted else {
                throw TarballError(.duplicatePath, entry: file.path,
                                   "expected each package path once, found '\(path)' again")
            }
            entries.append((path, file))
        }
        entries.sort { PackagePath.byteOrder($0.path, $1.path) }

        var current: String?
        do throws(ArchiveError) {
            let writer = try ArchiveWriter(format: .paxRestricted, compression: .gzip(level: 9))
            for (path, file) in entries {
                current = PackagePath.packPrefix + path
                try write(file, at: PackagePath.packPrefix + path, into: writer)
            }
            current = nil
            return Data(try writer.finish())
        } catch {
            throw TarballError(.io, entry: current, "expected libarchive to pack the files, found: \(error)")
        }
    }

    // MARK: - Packing directories

    /// Packs every regular file under `directory`, recursively, skipping `node_modules/` and
    /// `.git/` at any depth and anything that is not a regular file (symlinks are not followed).
    /// Files with any execute bit are packed as executable.
    public static func pack(directory: URL) throws(TarballError) -> Data {
        try pack(files: try files(in: directory))
    }

    /// Every regular file below `directory` (but `node_modules` and `.git`), as `pack(directory:)`
    /// would pack them: for callers that choose which to pack (npm's pack list).
    public static func files(in directory: URL) throws(TarballError) -> [PackFile] {
        var files: [PackFile] = []
        try collect(directory: directory.path, relative: "", into: &files)
        return files
    }

    private static func collect(directory: String, relative: String, into files: inout [PackFile]) throws(TarballError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TarballError(.io, entry: relative.isEmpty ? nil : relative,
                               "expected a readable directory at '\(directory)', found: \(systemErrorText(error))")
        }
        for name in names.sorted(by: PackagePath.byteOrder) {
            let absolute = directory + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(absolute, &info) == 0 else {
                throw TarballError(.io, entry: path, "expected to lstat '\(absolute)', found errno \(errno)")
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR where !skippedDirectoryNames.contains(name):
                try collect(directory: absolute, relative: path, into: &files)
            case S_IFREG:
                guard let contents = FileManager.default.contents(atPath: absolute) else {
                    throw TarballError(.io, entry: path, "expected to read '\(absolute)', but it could not be read")
                }
                files.append(PackFile(path: path, contents: contents, executable: info.st_mode & 0o111 != 0))
            default:
                continue
            }
        }
    }

    // MARK: - Helpers

    private static func write(_ file: PackFile, at archivePath: String, into writer: ArchiveWriter) throws(ArchiveError) {
        let spec = ArchiveEntrySpec(path: archivePath, type: .regular, permissions: file.executable ? 0o755 : 0o644,
                                    size: Int64(file.contents.count), modificationTime: modificationTime)
        try writer.writeHeader(spec)
        let written: Result<Int, ArchiveError> = file.contents.withUnsafeBytes { buffer in
            Result { () throws(ArchiveError) in try writer.writeData(buffer) }
        }
        let count = try written.get()
        guard count == file.contents.count else {
            throw ArchiveError(operation: "archive_write_data", status: .unexpected(count),
                               message: "expected to write \(file.contents.count) bytes, libarchive took \(count)")
        }
        try writer.finishEntry()
    }

    /// Validates and normalises a caller-supplied package path.
    private static func normalizedPath(_ raw: String) throws(TarballError) -> String {
        var limits = TarballLimits.default
        limits.maxPathBytes -= PackagePath.packPrefix.utf8.count
        _ = try PackagePath.validated(Array(raw.utf8), entry: raw, limits: limits)
        let components = PackagePath.normalizedComponents(raw)
        guard !components.isEmpty else {
            throw TarballError(.invalidPath, entry: raw, "expected a file path, found '\(raw)' which names the package root")
        }
        return components.joined(separator: "/")
    }
}
