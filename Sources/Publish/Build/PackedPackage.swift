import Crypto
public import Foundation
import Hex
public import SafeJSON
import Tarball
public import CodedError

/// A packed package: the deterministic `npm pack`-style tarball and the digests npm puts in
/// `dist` (`integrity` sha512 SRI, `shasum` sha1 hex) and in the provenance subject (sha512 hex).
public struct PackedPackage: Sendable {
    public let name: String
    public let version: String
    public let manifest: [String: JSONValue]
    public let tarball: Data
    /// `sha512-<base64>`.
    public let integrity: String
    /// Lowercase hex SHA-1.
    public let shasum: String
    /// Lowercase hex SHA-512 (the provenance subject digest).
    public let sha512Hex: String

    /// Packs what `npm publish` in the build folder would pack (``NpmPackList``) with
    /// `TarballPacker` (sorted entries under `package/`, fixed mtime).
    public static func pack(_ build: NpmLibraryBuild) throws(PublishError) -> PackedPackage {
        let tarball: Data
        do {
            tarball = try TarballPacker.pack(files: try selected(in: build.directory, manifest: build.manifest))
        } catch let error as PublishError {
            throw error
        } catch {
            throw PublishError(.pack, "cannot pack \(build.name)@\(build.version) from \(build.directory.path): \(error)")
        }
        return PackedPackage(name: build.name, version: build.version, manifest: build.manifest, tarball: tarball)
    }

    /// The package-relative paths `pack` would put in the tarball of `directory`, sorted.
    public static func files(in directory: URL, manifest: [String: JSONValue]) throws -> [String] {
        try selected(in: directory, manifest: manifest).map(\.path).sorted()
    }

    /// The files of `directory` that npm's pack list keeps.
    static func selected(in directory: URL, manifest: [String: JSONValue]) throws -> [PackFile] {
        let files = try TarballPacker.files(in: directory)
        let list = NpmPackList(manifest: manifest, ignoreText: try ignoreText(files))
        return files.filter { list.includes($0.path) }
    }

    /// The root `.npmignore`, else `.gitignore`; a nested one is refused (npm reads those too).
    static func ignoreText(_ files: [PackFile]) throws(PublishError) -> String? {
        let ignoreFiles = [".npmignore", ".gitignore"]
        if let nested = files.first(where: { $0.path.contains("/") && ignoreFiles.contains(String($0.path.split(separator: "/").last!)) }) {
            throw PublishError(.invalidPackage, "\(nested.path): nested ignore files are not read by mochi-pkg's pack, and npm would apply it; keep ignore rules in the root .npmignore or in package.json's files")
        }
        let root = files.first { $0.path == ".npmignore" } ?? files.first { $0.path == ".gitignore" }
        return root.map { String(decoding: $0.contents, as: UTF8.self) }
    }

    /// Computes the digests of `tarball`.
    public init(name: String, version: String, manifest: [String: JSONValue], tarball: Data) {
        self.name = name
        self.version = version
        self.manifest = manifest
        self.tarball = tarball
        let sha512 = Data(SHA512.hash(data: tarball))
        integrity = "sha512-" + sha512.base64EncodedString()
        sha512Hex = Hex.encode(sha512)
        shasum = Hex.encode(Data(Insecure.SHA1.hash(data: tarball)))
    }
}
