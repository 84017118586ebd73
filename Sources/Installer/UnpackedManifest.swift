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

    /// nil when the file is missing, not a regular file, too large or not JSON.
    init?(directory: URL) {
        guard let data = Self.regularFileBytes(directory.path + "/package.json"),
              let json = try? JSONValue.parse(data, maxDepth: 16) else { return nil }
        self.json = json
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
            let got = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + count, $0.count - count) }
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
    func bins(name: String) -> [String: String] {
        if let path = json["bin"]?.stringValue { return NpmBins.normalised([name: path]) }
        if let paths = json["bin"]?.arrayValue { return NpmBins.normalised(NpmBins.fromArray(paths.compactMap(\.stringValue))) }
        return NpmBins.normalised(json["bin"]?.stringMap ?? [:])
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
