public import Foundation
import NpmModel
public import SafeJSON
public import CodedError

/// Builds the npm-library output of a package version folder: copies its files into
/// `<project>/target/ts/npm-library`, the folder the emitted workflow publishes from.
///
/// The source is a version folder like `Registry/packages/@mochi/example/1.1.0/` (package.json
/// plus `dist/`, README, LICENSE). Only regular files and folders are copied; a symlink, a
/// special file, or a path component of the output that is a symlink fails the build (a
/// package must not smuggle in files from elsewhere). `node_modules/` and `.git/` are skipped.
public struct NpmLibraryBuilder: Sendable {
    /// Output folder relative to the project.
    public static let outputPath = "target/ts/npm-library"
    /// Folder names never copied.
    public static let skippedNames: Set<String> = ["node_modules", ".git"]

    public let source: URL
    public let project: URL

    public init(source: URL, project: URL) {
        self.source = source.standardizedFileURL
        self.project = project.standardizedFileURL
    }

    /// Where the build lands.
    public var output: URL { project.appendingPathComponent(Self.outputPath) }

    /// Replaces the output folder with a fresh copy of the source and reads its package.json.
    public func build() throws(PublishError) -> NpmLibraryBuild {
        let manifest = try Self.readManifest(in: source)
        try refuseSymlinkedOutput()
        // The copy must not read what it writes (found by review: a package folder holding the
        // project's target/ copied its own output into itself down to PATH_MAX): the output is
        // skipped when the package holds it, and a package inside the output is refused.
        let (from, to) = (source.standardizedFileURL.resolvingSymlinksInPath().path, output.standardizedFileURL.resolvingSymlinksInPath().path)
        guard !(to == from || from.hasPrefix(to + "/")) else {
            throw PublishError(.invalidPackage, "refusing to build \(source.path) into \(output.path): the package lies inside the build folder, which the build replaces")
        }
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: output.path) { try fm.removeItem(at: output) }
            try fm.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw PublishError(.io, "cannot prepare the build folder \(output.path): \(error.localizedDescription)")
        }
        var copied: [String] = []
        try copy(from: source.path, to: output.path, relative: "", skipping: to.hasPrefix(from + "/") ? to : nil, into: &copied)
        return NpmLibraryBuild(directory: output, manifest: manifest.object, name: manifest.name,
                               version: manifest.version, files: copied)
    }

    // MARK: - Copying

    private func copy(from directory: String, to destination: String, relative: String, skipping output: String?,
                      into copied: inout [String]) throws(PublishError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw PublishError(.invalidPackage, "cannot list \(directory): \(error.localizedDescription)")
        }
        for name in names where !Self.skippedNames.contains(name) {
            let path = relative.isEmpty ? name : relative + "/" + name
            guard name != "." && name != ".." && !name.contains("/") && !name.contains("\0") else {
                throw PublishError(.invalidPackage, "refusing the path '\(path)' in \(source.path): it escapes the package")
            }
            let from = directory + "/" + name, to = destination + "/" + name
            var info = stat()
            guard lstat(from, &info) == 0 else {
                throw PublishError(.io, "cannot lstat \(from) (errno \(errno))")
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if let output, URL(fileURLWithPath: from).resolvingSymlinksInPath().path == output { continue }
                do { try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: false) } catch {
                    throw PublishError(.io, "cannot create \(to): \(error.localizedDescription)")
                }
                try copy(from: from, to: to, relative: path, skipping: output, into: &copied)
            case S_IFREG:
                guard let data = FileManager.default.contents(atPath: from) else {
                    throw PublishError(.io, "cannot read \(from)")
                }
                let executable = info.st_mode & 0o111 != 0
                guard FileManager.default.createFile(atPath: to, contents: data,
                                                     attributes: [.posixPermissions: executable ? 0o755 : 0o644]) else {
                    throw PublishError(.io, "cannot write \(to)")
                }
                copied.append(path)
            case S_IFLNK:
                throw PublishError(.invalidPackage, "refusing the symlink '\(path)' in \(source.path): package files must be regular files")
            default:
                throw PublishError(.invalidPackage, "refusing '\(path)' in \(source.path): not a regular file or folder")
            }
        }
    }

    /// `target`, `target/ts` and `target/ts/npm-library` must not be symlinks out of the project.
    private func refuseSymlinkedOutput() throws(PublishError) {
        try ProjectOutputPath.refuseSymlinks(in: project, Self.outputPath, what: "the npm library")
    }

    // MARK: - package.json

    /// Reads and checks `package.json`: a JSON object with a valid npm `name` and a `version`.
    static func readManifest(in folder: URL) throws(PublishError) -> (object: [String: JSONValue], name: String, version: String) {
        let file = folder.appendingPathComponent("package.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PublishError(.invalidPackage, "expected a package.json in \(folder.path), found none")
        }
        guard let object = (try? JSONValue.parse(data))?.objectValue else {
            throw PublishError(.invalidPackage, "expected \(file.path) to be a JSON object")
        }
        guard let name = object["name"]?.stringValue, (try? PackageName(name)) != nil else {
            throw PublishError(.invalidPackage, "expected a valid npm \"name\" in \(file.path), found \(object["name"].map { "\($0)" } ?? "none")")
        }
        guard let version = object["version"]?.stringValue, !version.isEmpty else {
            throw PublishError(.invalidPackage, "expected a \"version\" string in \(file.path)")
        }
        return (object, name, version)
    }
}

/// The result of `NpmLibraryBuilder.build()`: the output folder and what it holds.
public struct NpmLibraryBuild: Sendable {
    public let directory: URL
    /// package.json as parsed.
    public let manifest: [String: JSONValue]
    public let name: String
    public let version: String
    /// Package-relative paths of the copied files, sorted.
    public let files: [String]
}
