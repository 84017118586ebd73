import Foundation
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
        let file = directory.appendingPathComponent("package.json")
        var info = stat()
        guard lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= Self.maxBytes,
              let data = FileManager.default.contents(atPath: file.path),
              let json = try? JSONValue.parse(data, maxDepth: 16) else { return nil }
        self.json = json
    }

    /// `bin` as npm's bin-links reads it: a string means one bin named after the package.
    func bins(name: String) -> [String: String] {
        if let path = json["bin"]?.stringValue { return [String(name.split(separator: "/").last ?? Substring(name)): path] }
        return json["bin"]?.stringMap ?? [:]
    }

    /// `repository` or `repository.url`, as written.
    var repository: String? {
        let value = json["repository"]
        return value?.stringValue ?? value?["url"]?.stringValue
    }
}
