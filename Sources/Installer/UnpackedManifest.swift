import FoundationEssentials
import Glibc
import NpmModel
import SafeJSON

/// The package.json of an unpacked, verified tarball: the package's own word, bound to the bytes
/// the identity was computed over (registry metadata is only a copy, and abbreviated packuments
/// leave fields such as `repository` out).
struct UnpackedManifest {
    /// Largest package.json read.
    static let maxBytes = 1024 * 1024

    let json: JSONValue

    /// What reading a package folder's package.json gave.
    enum Reading {
        /// There is none: npm goes by the metadata alone.
        case missing
        /// There is one, but not one read here (not a regular file, over `maxBytes`, JSON this
        /// reader refuses): npm's reader is more lenient, so what npm sees in it is unknown.
        case unreadable(String)
        case found(UnpackedManifest)
    }

    /// nil when the file is missing, not a regular file, too large or not JSON.
    init?(directory: URL) {
        guard case .found(let manifest) = Self.read(directory: directory) else { return nil }
        self = manifest
    }

    private init(json: JSONValue) { self.json = json }

    /// Reads `directory/package.json` as npm's read-package-json-fast does where it can: a UTF-8
    /// byte order mark is dropped (found by review: one hid a postinstall npm ran).
    static func read(directory: URL) -> Reading {
        let path = directory.path + "/package.json"
        var status = stat()
        guard lstat(path, &status) == 0 else { return errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))) }
        guard let data = regularFileBytes(path) else { return .unreadable("not a regular file of at most \(maxBytes) bytes") }
        // As npm reads it: bytes that are not UTF-8 are U+FFFD, a lone surrogate too, 1e400 infinite
        // (found by review: a Latin-1 author name made a real package unreadable).
        do { return .found(UnpackedManifest(json: try JSONValue.parseAsNpmReadsFile(data, maxDepth: 64))) } catch { return .unreadable("\(error)") }
    }

    /// The bytes of `path` when it is a regular file (not a link: `O_NOFOLLOW`) of at most
    /// `maxBytes`; one open, one `fstat`, then reads until end of file.
    static func regularFileBytes(_ path: String) -> Data? {
        let file = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= Self.maxBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { return nil }
            if got == 0 { break }
            count += got
        }
        guard count <= Self.maxBytes else { return nil }
        return Data(bytes[..<count])
    }

    /// `bin` as npm reads it: a string means one bin named after the package, an array one bin per
    /// path; then normalised as npm normalises it (``NpmBins``).
    func bins(name: String, in directory: URL? = nil) -> [String: String] {
        if let path = json["bin"]?.stringValue { return NpmBins.normalised([name: path]) }
        if let paths = json["bin"]?.arrayValue { return NpmBins.normalised(NpmBins.fromArray(paths.compactMap(\.stringValue))) }
        if !JSONValue.isTruthy(json["bin"]), let folder = json["directories"]?["bin"]?.stringValue, let directory {
            return NpmBins.normalised(Self.binDirectoryFiles(folder, in: directory))
        }
        return NpmBins.normalised(json["bin"]?.stringMap ?? [:])
    }

    /// `directories.bin` as @npmcli/package-json expands it when there is no `bin`: every file
    /// below that folder (names not starting with `.`), named after its last segment (found by
    /// review: such a package got no bins, and ci refused npm's lockfile for it). At most 1,000.
    static func binDirectoryFiles(_ folder: String, in directory: URL) -> [String: String] {
        let base = NpmBins.normalisedFolder(folder)
        let root = base.isEmpty ? directory : directory.appendingPathComponent(base)
        var bins: [String: String] = [:]
        var pending = [""]
        while let relative = pending.popLast(), bins.count < 1_000 {
            for entry in ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(relative).path)) ?? []).sorted()
                where !entry.hasPrefix(".") {
                let path = relative.isEmpty ? entry : relative + "/" + entry
                var info = stat()
                guard lstat(root.appendingPathComponent(path).path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR, path.split(separator: "/").count < 8 { pending.append(path) }
                if info.st_mode & S_IFMT == S_IFREG { bins[entry] = base.isEmpty ? path : base + "/" + path }
            }
        }
        return bins
    }

    /// Whether npm would run an install script for the package in `directory`: a `preinstall`,
    /// `install` or `postinstall` script, or a `binding.gyp` (npm then runs `node-gyp rebuild`).
    func hasInstallScript(in directory: URL) -> Bool {
        let scripts = json["scripts"]?.objectValue ?? [:]
        if ["preinstall", "install", "postinstall"].contains(where: { scripts[$0]?.stringValue?.isEmpty == false }) { return true }
        var status = stat()
        return lstat(directory.appendingPathComponent("binding.gyp").path, &status) == 0
    }

    /// `repository` or `repository.url`, as written.
    var repository: String? {
        let value = json["repository"]
        return value?.stringValue ?? value?["url"]?.stringValue
    }
}
