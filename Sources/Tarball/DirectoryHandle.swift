#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open directory file descriptor inside the unpack destination, closed in `deinit`.
///
/// All creation happens relative to descriptors with `O_NOFOLLOW`, so no path component is ever
/// resolved through a symbolic link — even one planted by something else mid-unpack.
final class DirectoryHandle {
    static let mode: mode_t = 0o755

    let descriptor: Int32
    /// Whether opening this directory created it (the unpacker counts created directories).
    let wasCreated: Bool

    private init(descriptor: Int32, wasCreated: Bool = false) {
        self.descriptor = descriptor
        self.wasCreated = wasCreated
    }
    deinit { _ = close(descriptor) }

    // MARK: - Opening

    /// Creates `path` (which must not exist) with mode 0755 and opens it. EEXIST is reported as
    /// `destinationExists`, and the existing directory is left alone.
    static func createRoot(at path: String) throws(TarballError) -> DirectoryHandle {
        guard mkdir(path, mode) == 0 else {
            let code = errno
            if code == EEXIST {
                throw TarballError(.destinationExists, "expected '\(path)' not to exist, found an existing item")
            }
            throw TarballError(.io, "expected to create directory '\(path)', found: \(describe(code))")
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TarballError(.io, "expected to open new directory '\(path)', found: \(describe(errno))")
        }
        let handle = DirectoryHandle(descriptor: descriptor)
        if !ProcessUmask.keeps(mode) { try handle.setMode(mode, entry: nil, name: path) }
        return handle
    }

    /// Opens the child directory `name`, creating it (mode 0755) when missing. A symlink or a
    /// non-directory in the way is an error, never followed or replaced.
    func subdirectory(_ name: String, entry: String) throws(TarballError) -> DirectoryHandle {
        try Self.checkSingleComponent(name, entry: entry)
        var created = false
        if mkdirat(descriptor, name, Self.mode) == 0 {
            created = true
        } else if errno != EEXIST {
            throw TarballError(.io, entry: entry, "expected to create directory '\(name)', found: \(describe(errno))")
        }
        let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else {
            throw TarballError(.io, entry: entry,
                               "expected '\(name)' to be a directory, found a non-directory (\(describe(errno)))")
        }
        let handle = DirectoryHandle(descriptor: child, wasCreated: created)
        if created && !ProcessUmask.keeps(Self.mode) { try handle.setMode(Self.mode, entry: entry, name: name) }
        return handle
    }

    // MARK: - Files

    /// Creates the regular file `name` with `O_CREAT | O_EXCL | O_NOFOLLOW`. An existing file (an
    /// earlier duplicate entry) is unlinked first, as tar overwrites; anything else is an error.
    /// It is created with its final `mode` when the umask keeps that exactly, else 0600 until `finish`.
    func createFile(_ name: String, mode: mode_t, entry: String) throws(TarballError) -> OutputFile {
        try Self.checkSingleComponent(name, entry: entry)
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let initial: mode_t = ProcessUmask.keeps(mode) ? mode : 0o600
        var file = openat(descriptor, name, flags, initial)
        if file < 0 && errno == EEXIST {
            guard unlinkat(descriptor, name, 0) == 0 else {
                throw TarballError(.io, entry: entry,
                                   "expected to replace file '\(name)', found something that cannot be unlinked (\(describe(errno)))")
            }
            file = openat(descriptor, name, flags, initial)
        }
        guard file >= 0 else {
            throw TarballError(.io, entry: entry, "expected to create file '\(name)', found: \(describe(errno))")
        }
        return OutputFile(descriptor: file, entry: entry, mode: ProcessUmask.keeps(mode) ? mode : nil)
    }

    // MARK: - Helpers

    /// The last line of defence for `*at` calls: `name` must be one path component, never `.`,
    /// `..` or anything holding a `/` byte, whatever the callers' lexical checks concluded.
    static func checkSingleComponent(_ name: String, entry: String) throws(TarballError) {
        let bytes = name.utf8
        guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "/")), !bytes.contains(0),
              !bytes.elementsEqual(".".utf8), !bytes.elementsEqual("..".utf8) else {
            throw TarballError(.pathTraversal, entry: entry, "expected one path component, found '\(name)'")
        }
    }

    private func setMode(_ mode: mode_t, entry: String?, name: String) throws(TarballError) {
        guard fchmod(descriptor, mode) == 0 else {
            throw TarballError(.io, entry: entry, "expected to chmod '\(name)', found: \(describe(errno))")
        }
    }
}

/// `strerror` text plus the number, for error messages.
func describe(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
